import Foundation
import Testing
import WamigrateBench
import WamigrateCore
import WamigrateTestSupport

/// On a terminal a run shows which stage it is in, rows done / total, rate and ETA;
/// on a pipe it shows nothing, and `--json` stays clean.
@Suite("End to end: progress")
struct ProgressEndToEndTests {
    @Test func aTerminalSeesEachLongStageAndAPipeSeesNothing() throws {
        let folder = TempFolder()
        let files = try ExportGenerator(rows: 20_000, seed: 11).write(to: folder.file("in"))
        let command = [
            Binary.path, "run", "--store", folder.file("tty.sqlite"), "--default-region", "DE", files.sms, files.viber,
        ]
        .map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = text.replacingOccurrences(of: "\r", with: "\n")
        #expect(lines.contains("normalize: 20000/20000 rows"), "\(lines)")
        #expect(lines.contains(" rows/s · ETA "))
        #expect(lines.range(of: #"extract: (\d+)/\1 KiB"#, options: .regularExpression) != nil, "\(lines)")
        #expect(lines.range(of: #"dedupe: (\d+)/\1 rows"#, options: .regularExpression) != nil, "\(lines)")
        #expect(lines.range(of: #"import: \d+/\d+ contacts"#, options: .regularExpression) != nil)

        let piped = try Binary.run([
            "run", "--store", folder.file("pipe.sqlite"), "--default-region", "DE", "--json", files.sms, files.viber,
        ])
        #expect(piped.status == 0)
        for stage in ["extract:", "normalize:", "dedupe:", "import:"] { #expect(!piped.stderr.contains(stage)) }
        #expect((try? JSONSerialization.jsonObject(with: Data(piped.stdout.utf8))) != nil, "--json stays parseable")
    }
}
