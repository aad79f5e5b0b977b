import Foundation
import Testing
import WamigrateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A seeded fuzz test over hostile CSV exports, bounded in count and time so it runs
/// in CI: every input ends in a clear error or a run whose books balance and whose
/// CSV outputs are safe to open — never a crash, a hang or a silent drop.
@Suite("End to end: hostile inputs (seeded fuzz)")
struct HostileInputFuzzTests {
    static let cases = 36
    static let secondsPerCase = 20.0

    struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }

        mutating func cell() -> [UInt8] {
            let pieces: [[UInt8]] = [
                Array("+49 151 2345678\(next(10))".utf8), Array("0151/2345678\(next(10))".utf8), Array("=1+1".utf8),
                Array("@SUM(A1)".utf8), Array("-2+3".utf8), Array("\"quoted, with comma\"".utf8), Array("\"unclosed".utf8),
                Array("a\"b".utf8), [0x1B] + Array("]0;title".utf8) + [0x07], Array("4.9151234567E+12".utf8),
                [0xFF, 0xFE, 0x41], [0xC3, 0x28], Array("Ünïcødé 🙂".utf8), Array(repeating: UInt8(ascii: "9"), count: 5000),
                Array("tel:+4915123456789;ext=1".utf8), [], Array("\t\r".utf8), Array("subscribed".utf8),
                Array("STOP".utf8), Array("Türkiye".utf8), Array("مصر".utf8), Array("31.02.2024".utf8),
            ]
            return pieces[next(pieces.count)]
        }

        mutating func file() -> [UInt8] {
            var bytes: [UInt8] = next(4) == 0 ? [0xEF, 0xBB, 0xBF] : []
            let delimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")][next(4)]
            let newline: [UInt8] = [[10], [13, 10], [13]][next(3)]
            let headers = [
                ["phone", "name", "email", "country", "consent", "consent_date"], ["Mobile", "Vorname", "Land", "Opt-In"],
                ["viber_user_id", "phone", "name", "status", "country"], ["msisdn", "firstName", "lastName"],
                ["phone", "phone"], ["x", "y"], [],
            ][next(7)]
            bytes += Array(headers.joined(separator: String(UnicodeScalar(delimiter))).utf8) + newline
            for _ in 0..<next(40) {
                let width = max(0, headers.count + next(3) - 1)
                for column in 0..<width {
                    if column > 0 { bytes.append(delimiter) }
                    bytes += cell()
                }
                bytes += next(10) == 0 ? [] : newline
            }
            if next(12) == 0 { bytes.insert(0, at: next(bytes.count + 1)) }
            return bytes
        }
    }

    @Test func hostileExportsEndInAClearErrorOrBalancedBooks() throws {
        var generator = Generator(state: 20_261_201)
        var outcomes: [Int32: Int] = [:]
        for index in 0..<Self.cases {
            let folder = TempFolder()
            let input = folder.write("export-\(index).csv", bytes: generator.file())
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Binary.path)
            process.arguments = [
                "run", "--store", folder.file("job.sqlite"), "--out", folder.file("out"), "--default-region", "DE", input,
            ]
            let errPath = folder.file("stderr.txt")
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle(forWritingAtPath: errPath)
            try process.run()
            let deadline = Date().addingTimeInterval(Self.secondsPerCase)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let stderr = folder.read("stderr.txt")
            #expect(process.terminationReason == .exit, "case \(index) crashed or hung: \(stderr)")
            let status = process.terminationStatus
            outcomes[status, default: 0] += 1
            #expect([0, 65].contains(status), "case \(index) exited \(status): \(stderr)")
            if status == 65 {
                #expect(stderr.contains(": E_") && stderr.contains("fix:"), "case \(index): \(stderr)")
                // Nothing half-done: no store at all, or one whose run failed with no rows kept.
                if FileManager.default.fileExists(atPath: folder.file("job.sqlite")) {
                    let store = try JobReader(folder.file("job.sqlite")).store
                    #expect(try store.books().rowsIn == 0, "case \(index)")
                    #expect(try store.runs().allSatisfy { $0.status == .failed }, "case \(index)")
                }
            }
            if status == 0 {
                #expect(folder.read("out/summary.json").contains("\"balanced\" : true"), "case \(index)")
                let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.file("out"))) ?? []
                #expect(!files.contains { $0.hasSuffix(".partial") })
                for file in files where file.hasSuffix(".csv") {
                    let table = try CSVTable(path: folder.file("out/" + file))
                    for cell in table.rows.flatMap(\.values) where !cell.isEmpty {
                        let number = cell.first == "+" && cell.dropFirst().allSatisfy(\.isNumber)
                        #expect(number || !"=+-@\t\r".contains(cell.first!), "case \(index) \(file): \(cell.debugDescription)")
                    }
                }
            }
            #expect(!stderr.unicodeScalars.contains { $0.value == 0x1B }, "case \(index) printed an escape")
        }
        #expect(outcomes[0, default: 0] > 0 && outcomes[65, default: 0] > 0, "the corpus reaches both outcomes: \(outcomes)")
    }
}
