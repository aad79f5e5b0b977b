import Foundation
import Testing
import WamigrateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// normalize parses in worker processes (the same binary, `normalize-worker`).
/// A worker that dies fails the stage with a clear error and keeps nothing of it,
/// and running the command again finishes the job.
@Suite("End to end: normalize worker processes")
struct NormalizeWorkersEndToEndTests {
    /// Rows enough that normalize runs for seconds in a debug build.
    static func bigExport(rows: Int) -> String {
        var text = "Mobile;Name;Country;Opt-In\n"
        text.reserveCapacity(rows * 40)
        for index in 0..<rows {
            let subscriber = String(1_000_000 + (index * 7919) % 8_999_999)
            switch index % 4 {
            case 0: text += "0151 \(subscriber)0;Person \(index);DE;yes\n"
            case 1: text += "+49 170 \(subscriber);Person \(index);;no\n"
            case 2: text += "0044 7700 \(subscriber.prefix(6));Person \(index);;yes\n"
            default: text += "020 7946 \(subscriber.prefix(4));Person \(index);UK;\n"
            }
        }
        return text
    }

    /// The pids of this process's children whose command line names the worker.
    static func workers(of parent: Int32) -> [Int32] {
        guard let children = try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)
        else { return [] }
        return children.split(separator: " ").compactMap { Int32($0) }.filter { pid in
            let line = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            return String(decoding: line, as: UTF8.self).contains("normalize-worker")
        }
    }

    @Test func normalizeRunsInWorkerProcessesThatEndWithTheRun() throws {
        let folder = TempFolder()
        let input = folder.write("sms.csv", Self.bigExport(rows: 120_000))
        let process = try Binary.start([
            "run", "--store", folder.file("job.sqlite"), "--default-region", "DE", "--keep-backups", "0", input,
        ])
        // Workers start one after the other: sample until all are seen (or the run ends).
        let expected = ProcessInfo.processInfo.activeProcessorCount
        var seen: [Int32] = []
        for _ in 0..<1200 where process.isRunning && seen.count < expected {
            let now = Self.workers(of: process.processIdentifier)
            if now.count > seen.count { seen = now }
            usleep(50_000)
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(seen.count == expected || expected == 1)
        for pid in seen { #expect(kill(pid, 0) != 0, "worker \(pid) outlived the run") }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount > 1))
    func aKilledWorkerFailsNormalizeClearlyAndARerunFinishes() throws {
        let folder = TempFolder()
        let input = folder.write("sms.csv", Self.bigExport(rows: 200_000))
        let arguments = ["run", "--store", folder.file("job.sqlite"), "--default-region", "DE", "--keep-backups", "0", input]
        let errPath = folder.file("stderr.txt")
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        var killed = false
        for _ in 0..<1200 where process.isRunning && !killed {
            if let victim = Self.workers(of: process.processIdentifier).last {
                usleep(300_000)  // let it answer a few batches first
                killed = kill(victim, SIGKILL) == 0
            }
            usleep(50_000)
        }
        process.waitUntilExit()
        #expect(killed, "no worker process was seen")
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 70, "\(stderr)")
        #expect(stderr.contains("E_WORKER"))
        #expect(stderr.contains("killed by signal 9"), "\(stderr)")
        let status = try Binary.run(["status", "--store", folder.file("job.sqlite"), "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let books = json?["books"] as? [String: Any]
        #expect(books?["pending"] as? Int == 200_000, "a failed normalize keeps none of its rows: \(status.stdout)")
        #expect((json?["last_run"] as? [String: Any])?["status"] as? String == "failed")

        let rerun = try Binary.run(arguments + ["--json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("\"balanced\" : true"))
        #expect(rerun.stdout.contains("\"rows_in\" : 200000"))
    }
}
