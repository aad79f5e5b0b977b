import Foundation
import Testing
import WamigrateBench
import WamigrateTestSupport

@testable import WamigrateCore

#if canImport(Glibc)
    import Glibc
#endif

/// A `run` killed with SIGKILL mid-way and started again ends in the same state as
/// an uninterrupted run.
@Suite("End to end: resume after kill -9")
struct ResumeEndToEndTests {
    func dropIDs(_ csv: String) -> [String] {
        csv.split(separator: "\n").map { line in
            line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).last.map(String.init) ?? ""
        }
    }

    @Test(arguments: [0.3, 0.8, 1.5])
    func killedRunResumesToTheSameResult(_ delay: Double) throws {
        let folder = TempFolder()
        let files = try ExportGenerator(rows: 60_000, seed: 7).write(to: folder.file("in"))
        let args = { (store: String, out: String) in
            [
                "run", "--store", folder.file(store), "--out", folder.file(out), "--default-region", "DE",
                "--mapping", "generic", "--mapping", "viber", files.sms, files.viber,
            ]
        }
        // Reference: one uninterrupted run.
        #expect(try Binary.run(args("ref.sqlite", "ref")).status == 0)

        let process = try Binary.start(args("job.sqlite", "out"))
        Thread.sleep(forTimeInterval: delay)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let resumed = try Binary.run(args("job.sqlite", "out"))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(dropIDs(folder.read("out/contacts.csv")) == dropIDs(folder.read("ref/contacts.csv")))
        #expect(folder.read("out/rejected_rows.csv") == folder.read("ref/rejected_rows.csv"))
        #expect(dropIDs(folder.read("out/viber_only.csv")) == dropIDs(folder.read("ref/viber_only.csv")))
        let status = try Binary.run(["status", "--store", folder.file("job.sqlite")])
        #expect(status.stdout.contains("→ balanced"))
    }
}
