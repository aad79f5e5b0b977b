import Foundation
import Testing
import WamigrateBench
import WamigrateTestSupport

@testable import WamigrateCore

#if canImport(Glibc)
    import Glibc
#endif

/// What a hostile tester found, one test each: concurrent writers, a full disk,
/// formula cells, file modes, PII in errors, folders in the way, kills during the
/// audit, FIFOs, NUL bytes, duplicate headers, terminal escapes, endpoints, backups.
@Suite("End to end: hardening", .serialized)
struct HardeningEndToEndTests {
    static let sample = Binary.packageRoot + "/samples/sms_subscribers.csv"

    func run(_ folder: TempFolder, store: String = "job.sqlite", out: String? = "out", _ inputs: [String]) throws
        -> Binary.Result
    {
        var arguments = ["run", "--store", folder.file(store), "--default-region", "DE"]
        if let out { arguments += ["--out", folder.file(out)] }
        return try Binary.run(arguments + inputs)
    }

    /// Waits for a child, killing it after `seconds`; true when it ended by itself.
    func finishes(_ process: Process, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        return true
    }

    @Test func aSecondWriterIsRefusedAtOnceWhileReadersStillWork() throws {
        let folder = TempFolder()
        let files = try ExportGenerator(rows: 60_000, seed: 3).write(to: folder.file("in"))
        let first = try Binary.start([
            "run", "--store", folder.file("job.sqlite"), "--out", folder.file("o1"), "--default-region", "DE",
            files.sms, files.viber,
        ])
        let lock = folder.file("job.sqlite.lock")
        for _ in 0..<1500 where !folder.read("job.sqlite.lock").contains("pid") { Thread.sleep(forTimeInterval: 0.02) }
        #expect(folder.read("job.sqlite.lock").contains("pid \(first.processIdentifier)"), "the lock names its holder")
        let second = try run(folder, out: "o2", [Self.sample])
        #expect(second.status == 75, "\(second.stderr)")
        #expect(
            second.stderr.contains(
                "E_STORE_BUSY: another wamigrate command is writing this store: pid \(first.processIdentifier)"))
        #expect(second.stderr.contains("command") && second.stderr.contains("fix: wait for it to finish"))
        let status = try Binary.run(["status", "--store", folder.file("job.sqlite")])
        #expect(status.status == 0, "readers work while a run holds the lock: \(status.stderr)")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let summary = folder.read("o1/summary.json")
        #expect(summary.contains("\"rows_in\" : 60000"), "the first run's books are its own")
        #expect(!FileManager.default.fileExists(atPath: folder.file("o2")))
        // A lock left by a killed writer is no obstacle.
        let killed = try Binary.start([
            "run", "--store", folder.file("job.sqlite"), "--default-region", "DE", "--force", files.sms, files.viber,
        ])
        Thread.sleep(forTimeInterval: 0.5)
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: lock))
        let again = try run(folder, out: "o3", [Self.sample])
        #expect(again.status == 0, "\(again.stderr)")
        let runs = try JobReader(folder.file("job.sqlite")).store.runs().map(\.status.rawValue)
        #expect(!runs.contains("running"), "the killed run is marked, not left running: \(runs)")
    }

    @Test func aFullDiskIsAnErrorThatKeepsThePreviousOutputs() throws {
        let folder = TempFolder()
        let files = try ExportGenerator(rows: 20_000, seed: 5).write(to: folder.file("in"))
        let disk = folder.file("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        let mounted = Self.shell("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", disk])
        defer { if mounted { Self.shell("umount", [disk]) } }
        if !mounted {
            // No mount allowed here: /dev/full gives the same ENOSPC to the first write.
            try FileManager.default.createDirectory(atPath: disk + "/out", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: disk + "/out/contacts.csv.partial", withDestinationPath: "/dev/full")
        }
        if mounted {
            let small = try Binary.run([
                "run", "--store", folder.file("small.sqlite"), "--out", disk + "/out", "--default-region", "DE", Self.sample,
            ])
            #expect(small.status == 0, "\(small.stderr)")
        }
        let before = mounted ? (try? String(contentsOfFile: disk + "/out/summary.json", encoding: .utf8)) : nil
        let big = try Binary.run([
            "run", "--store", folder.file("job.sqlite"), "--out", disk + "/out", "--default-region", "DE", files.sms,
            files.viber,
        ])
        #expect(big.status == 74, "\(big.stderr)")
        #expect(big.stderr.contains("E_OUTPUT: cannot write output file: No space left on device"), "\(big.stderr)")
        #expect(big.stderr.contains(disk + "/out/"))
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: disk + "/out")) ?? []
        #expect(!leftovers.contains { $0.hasSuffix(".partial") }, "\(leftovers)")
        if let before {
            #expect(try String(contentsOfFile: disk + "/out/summary.json", encoding: .utf8) == before)
            #expect(folder.read("disk/out/contacts.csv").split(separator: "\n").count < 40, "still the small run's")
        }
        let runs = try JobReader(folder.file("job.sqlite")).store.runs().map(\.status.rawValue)
        #expect(runs == ["failed"])
    }

    @Test func formulaCellsAreNeutralisedInEveryCSVOutput() throws {
        let folder = TempFolder()
        let sms = folder.write(
            "sms.csv",
            """
            phone,name,email,tags,consent
            +4915123456789,=HYPERLINK("http://x.example"),@SUM(A1),-2+3,yes
            =1+1,Bob,,,yes

            """)
        let viber = folder.write(
            "viber.csv",
            """
            viber_user_id,phone,name,status
            +cmdAAAAAAAAAAAAAAAAAA==,,=cmd|' /C calc'!A0,subscribed

            """)
        let result = try run(folder, [sms, viber])
        #expect(result.status == 0, "\(result.stderr)")
        var cells: [String] = []
        for file in [
            "contacts.csv", "rejected_rows.csv", "viber_only.csv", "whatsapp_ready.csv", "reconsent.csv", "unreachable.csv",
            "rejected.csv",
        ] {
            let table = try CSVTable(path: folder.file("out/" + file))
            for row in table.rows { cells += row.values }
        }
        for cell in cells where !cell.isEmpty {
            let first = cell.first!
            let isNumber = first == "+" && cell.dropFirst().allSatisfy(\.isNumber)
            #expect(!["=", "-", "@", "+", "\t", "\r"].contains(first) || isNumber, "evaluable cell \(cell.debugDescription)")
        }
        #expect(cells.contains("'=HYPERLINK(\"http://x.example\")") && cells.contains("'@sum(a1)"))
        #expect(cells.contains("'=1+1") && cells.contains("'+cmdAAAAAAAAAAAAAAAAAA=="))
        #expect(cells.contains("+4915123456789"), "E.164 numbers stay as they are")
    }

    @Test func filesArePrivateWhateverTheUmask() throws {
        let folder = TempFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c",
            "umask 000; \"$0\" run --store job.sqlite --out out --default-region DE \"$1\" >/dev/null && "
                + "\"$0\" run --store job.sqlite --out out --default-region DE --force \"$1\" >/dev/null",
            Binary.path, Self.sample,
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        func mode(_ name: String) -> Int {
            var info = stat()
            return stat(folder.file(name), &info) == 0 ? Int(info.st_mode & 0o777) : -1
        }
        for file in ["job.sqlite", "job.sqlite.lock", "out/contacts.csv", "out/reconsent.jsonl", "out/summary.json"] {
            #expect(mode(file) == 0o600, "\(file) is \(String(mode(file), radix: 8))")
        }
        #expect(mode("out") == 0o700)
        #expect(mode("job.sqlite.backups") == 0o700)
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.file("job.sqlite.backups"))
        #expect(!backups.isEmpty && backups.allSatisfy { mode("job.sqlite.backups/" + $0) == 0o600 })
    }

    @Test func aHeaderlessFileIsRefusedWithoutShowingItsFirstRow() throws {
        let folder = TempFolder()
        let input = folder.write("headerless.csv", "+49 151 2345 6789,Hans Meier,hans.meier@example.com\n")
        let result = try run(folder, [input])
        #expect(result.status == 65)
        #expect(result.stderr.contains("E_INPUT_NO_PHONE_COLUMN"))
        // The file's path (a random temp folder) may hold any digits: look at the message after it.
        let message = result.stderr.components(separatedBy: "E_INPUT_NO_PHONE_COLUMN").last ?? ""
        for secret in ["151", "2345", "6789", "Hans", "Meier", "hans.meier"] {
            #expect(!message.contains(secret), "the error shows '\(secret)'")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("job.sqlite")), "no empty store is left")
    }

    /// A read-only bind mount needs root (CI runs as root); elsewhere the test is skipped, visibly.
    static let canMountReadOnly: Bool = {
        let folder = TempFolder()
        try? FileManager.default.createDirectory(atPath: folder.file("a"), withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: folder.file("b"), withIntermediateDirectories: true)
        defer { _ = shell("umount", [folder.file("b")]) }
        return shell("mount", ["--bind", folder.file("a"), folder.file("b")])
    }()

    @discardableResult
    static func shell(_ command: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/" + command)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test(.enabled(if: canMountReadOnly)) func readersWorkInAReadOnlyFolder() throws {
        let folder = TempFolder()
        for name in ["src", "ro"] {
            try FileManager.default.createDirectory(atPath: folder.file(name), withIntermediateDirectories: true)
        }
        #expect(try run(folder, store: "src/job.sqlite", out: nil, [Self.sample]).status == 0)
        #expect(Self.shell("mount", ["--bind", folder.file("src"), folder.file("ro")]))
        defer { Self.shell("umount", [folder.file("ro")]) }
        #expect(Self.shell("mount", ["-o", "remount,bind,ro", folder.file("ro")]))
        let status = try Binary.run(["status", "--store", folder.file("ro/job.sqlite")])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("→ balanced"))
        let report = try Binary.run(["report", "--store", folder.file("ro/job.sqlite"), "--out", folder.file("report")])
        #expect(report.status == 0, "\(report.stderr)")
        let writer = try run(folder, store: "ro/job.sqlite", out: nil, [Self.sample])
        #expect(writer.status == 74 && writer.stderr.contains("E_STORE"), "a writer says why it cannot: \(writer.stderr)")
    }

    @Test func aClosedStderrStillGivesTheExitCode() throws {
        let folder = TempFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "exec 2>&-; exec \"$0\" run --store \"$1\" /nonexistent.csv", Binary.path, folder.file("job.sqlite"),
        ]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 65)
    }

    @Test func aFolderNamedLikeAnOutputSurvives() throws {
        let folder = TempFolder()
        folder.write("out/contacts.csv/keep.txt", "mine")
        let result = try run(folder, [Self.sample])
        #expect(result.status == 74)
        #expect(result.stderr.contains("a folder is in the way of an output file"))
        #expect(folder.read("out/contacts.csv/keep.txt") == "mine")
    }

    @Test func aRunIsNeverOkWithoutItsAudit() throws {
        let folder = TempFolder()
        let files = try ExportGenerator(rows: 30_000, seed: 9).write(to: folder.file("in"))
        let arguments = [
            "run", "--store", folder.file("job.sqlite"), "--default-region", "DE", "--force", files.sms, files.viber,
        ]
        #expect(try Binary.run(arguments).status == 0)
        // Kills spread over a whole run land in every step, the audit among them.
        for delay in stride(from: 0.2, through: 3.0, by: 0.35) {
            let process = try Binary.start(arguments)
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let bare = try JobReader(folder.file("job.sqlite")).store.runs().filter { $0.status == .ok && !$0.audited }
            #expect(bare.isEmpty, "an ok run without its manifest or snapshot after a kill at \(delay) s")
        }
    }

    @Test func aFifoIsRefusedInsteadOfBlocking() throws {
        let folder = TempFolder()
        let fifo = folder.file("export.csv")
        #expect(mkfifo(fifo, 0o600) == 0)
        let process = try Binary.start(["run", "--store", folder.file("job.sqlite"), "--default-region", "DE", fifo])
        #expect(finishes(process, within: 10), "run blocked on a FIFO")
        #expect(process.terminationStatus == 65)
    }

    @Test func aNulBytePastTheFirstChunkIsRefused() throws {
        let folder = TempFolder()
        var bytes = Array("phone,name\n".utf8)
        while bytes.count < 70_000 { bytes += Array("+4915123456789,Anna\n".utf8) }
        bytes += Array("+4915123456780,Bo".utf8) + [0] + Array("b\n".utf8)
        let input = folder.write("nul.csv", bytes: bytes)
        let result = try run(folder, [input])
        #expect(result.status == 65)
        #expect(result.stderr.contains("nul.csv:3502: E_INPUT_BINARY"), "\(result.stderr)")
    }

    @Test func aDuplicatePhoneHeaderIsAnError() throws {
        let folder = TempFolder()
        let input = folder.write("dup.csv", "phone,name,phone\n+4915123456789,Anna,+4915123456780\n")
        let result = try run(folder, [input])
        #expect(result.status == 65)
        #expect(result.stderr.contains("dup.csv:1:3: E_MAPPING"), "\(result.stderr)")
    }

    @Test func traceNeverPrintsTerminalEscapes() throws {
        let folder = TempFolder()
        let input = folder.write("esc.csv", "phone,name\n+4915123456789,\u{1B}]0;pwned\u{07}Anna\u{1B}[2J\n")
        #expect(try run(folder, [input]).status == 0)
        let trace = try Binary.run(["trace", "+4915123456789", "--unmasked", "--store", folder.file("job.sqlite")])
        #expect(trace.status == 0, "\(trace.stderr)")
        #expect(trace.stdout.contains("Anna"))
        #expect(!trace.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test func aRunWhoseAuditStepFailsPublishesNoOutputs() throws {
        let folder = TempFolder()
        #expect(try run(folder, [Self.sample]).status == 0)
        // The audit step (manifest and snapshot) is made to fail on the next run.
        try StoreProbe.inject(
            folder.file("job.sqlite"),
            "CREATE TRIGGER audit_fails BEFORE INSERT ON run_manifests BEGIN SELECT RAISE(ABORT, 'injected'); END")
        let failed = try Binary.run(
            [
                "run", "--store", folder.file("job.sqlite"), "--out", folder.file("second"), "--default-region", "DE",
                "--force", Self.sample,
            ])
        #expect(failed.status != 0, "\(failed.stderr)")
        let published = (try? FileManager.default.contentsOfDirectory(atPath: folder.file("second"))) ?? []
        #expect(!published.contains { $0.hasSuffix(".csv") || $0 == "summary.json" }, "\(published)")
    }

    @Test("a secret variable that is set but empty is told apart from one that is not set")
    func emptySecretsAreNamedAsEmpty() throws {
        let folder = TempFolder()
        #expect(try run(folder, [Self.sample]).status == 0)
        let arguments = [
            "webhook", "serve", "--store", folder.file("job.sqlite"), "--app-secret-env", "WM_TEST_SECRET",
            "--verify-token-env", "WM_TEST_TOKEN",
        ]
        let empty = try Binary.run(arguments, environment: ["WM_TEST_SECRET": "", "WM_TEST_TOKEN": "t"])
        #expect(empty.status == 64 && empty.stderr.contains("WM_TEST_SECRET is set but empty"), "\(empty.stderr)")
        let unset = try Binary.run(arguments, environment: ["WM_TEST_TOKEN": "t"])
        #expect(unset.status == 64 && unset.stderr.contains("WM_TEST_SECRET is not set"), "\(unset.stderr)")
    }

    @Test func reportsKeepNoTerminalEscapesFromCells() throws {
        let folder = TempFolder()
        let input = folder.write(
            "esc.csv", "phone,name\n+4915123456789,Anna\n\u{1B}]0;pwned\u{07}\u{202E}12,Bob\u{1B}[2J\n")
        #expect(try run(folder, [input]).status == 0)
        let report = try Binary.run(["report", "--store", folder.file("job.sqlite"), "--out", folder.file("report")])
        #expect(report.status == 0, "\(report.stderr)")
        for file in ["report.md", "report.html"] {
            let text = try String(contentsOfFile: folder.file("report/" + file), encoding: .utf8)
            #expect(
                !text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E }, "\(file)")
        }
    }

    @Test(arguments: [
        ("file:///etc/passwd", Int32(64)), ("http://waba.example.com", 64), ("ftp://127.0.0.1/x", 64),
        ("http://127.attacker.example", 64), ("http://127.0.0.1.attacker.example:8080", 64),
    ])
    func endpointsMustBeHttpsOrLoopback(_ endpoint: String, _ status: Int32) throws {
        let folder = TempFolder()
        let result = try Binary.run(
            [
                "run", "--store", folder.file("job.sqlite"), "--default-region", "DE", "--verifier", "contacts-api",
                "--endpoint", endpoint, "--user", "admin", "--password-env", "WA_PASSWORD", Self.sample,
            ], environment: ["WA_PASSWORD": "x"])
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains("must be https://") || result.stderr.contains("is not a URL"))
    }

    @Test func aBackupRestoresTheSameStatusAndExport() throws {
        let folder = TempFolder()
        let viber = Binary.packageRoot + "/samples/viber_subscribers.csv"
        #expect(try run(folder, [Self.sample, viber]).status == 0)
        #expect(try Binary.run(["export", "--store", folder.file("job.sqlite"), "--out", folder.file("before")]).status == 0)
        let status = try Binary.run(["status", "--store", folder.file("job.sqlite")]).stdout
        // A run over other inputs replaces every result: a backup is taken first.
        #expect(try run(folder, out: nil, [Self.sample]).status == 0)
        #expect(try Binary.run(["status", "--store", folder.file("job.sqlite")]).stdout != status)
        let list = try Binary.run(["backup", "list", "--store", folder.file("job.sqlite")])
        #expect(list.stdout.contains("1  ") && list.stdout.contains("before-extract"), "\(list.stdout)")
        let restore = try Binary.run(["backup", "restore", "1", "--store", folder.file("job.sqlite")])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try Binary.run(["status", "--store", folder.file("job.sqlite")]).stdout == status)
        #expect(try Binary.run(["export", "--store", folder.file("job.sqlite"), "--out", folder.file("after")]).status == 0)
        for file in ["contacts.csv", "rejected_rows.csv", "viber_only.csv"] {
            #expect(folder.read("after/" + file) == folder.read("before/" + file), "\(file) differs after the restore")
        }
        // A damaged backup is refused.
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.file("job.sqlite.backups"))
        let file = try #require(backups.first { $0.hasPrefix("0001-") && $0.hasSuffix(".sqlite") })
        let handle = try #require(FileHandle(forWritingAtPath: folder.file("job.sqlite.backups/" + file)))
        try handle.seek(toOffset: 200)
        handle.write(Data("damage".utf8))
        try handle.close()
        let refused = try Binary.run(["backup", "restore", "1", "--store", folder.file("job.sqlite")])
        #expect(refused.status == 74 && refused.stderr.contains("does not match its checksum"))
    }

    @Test func restoringTheSameBackupAgainAndAgainNeverPrunesIt() throws {
        let folder = TempFolder()
        let store = folder.file("job.sqlite")
        let viber = Binary.packageRoot + "/samples/viber_subscribers.csv"
        #expect(try run(folder, [Self.sample, viber]).status == 0)
        #expect(try run(folder, out: nil, [Self.sample]).status == 0)
        for attempt in 1...5 {
            let restore = try Binary.run(["backup", "restore", "1", "--store", store])
            #expect(restore.status == 0, "attempt \(attempt): \(restore.stderr)")
            let list = try Binary.run(["backup", "list", "--store", store])
            #expect(list.stdout.hasPrefix("1  "), "attempt \(attempt): backup 1 is kept\n\(list.stdout)")
        }
    }

    @Test func aBackupOfAnotherStoreOrOutsideTheFolderIsRefused() throws {
        let folder = TempFolder()
        let other = TempFolder()
        #expect(try run(folder, [Self.sample]).status == 0)
        #expect(try run(other, [Self.sample]).status == 0)
        #expect(try run(other, out: nil, [Binary.packageRoot + "/samples/viber_subscribers.csv"]).status == 0)
        // Backup 1 of the other job, copied next to this job's backups as number 9.
        let theirs = other.file("job.sqlite.backups")
        let ours = folder.file("job.sqlite.backups")
        try FileManager.default.createDirectory(atPath: ours, withIntermediateDirectories: true)
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: theirs).first { $0.hasPrefix("0001-") && $0.hasSuffix(".sqlite") }
        )
        try FileManager.default.copyItem(atPath: theirs + "/" + file, toPath: ours + "/0009-other.sqlite")
        var sidecar = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: theirs + "/0001.json")))
                as? [String: Any])
        sidecar["number"] = 9
        sidecar["file"] = "0009-other.sqlite"
        try JSONSerialization.data(withJSONObject: sidecar).write(to: URL(fileURLWithPath: ours + "/0009.json"))
        let store = folder.file("job.sqlite")
        let refused = try Binary.run(["backup", "restore", "9", "--store", store])
        #expect(refused.status == 64 && refused.stderr.contains("another job store"), "\(refused.stderr)")
        let forced = try Binary.run(["backup", "restore", "9", "--store", store, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")

        // A sidecar that points the restore at a file elsewhere.
        sidecar["file"] = "../../job.sqlite"
        try JSONSerialization.data(withJSONObject: sidecar).write(to: URL(fileURLWithPath: ours + "/0009.json"))
        let outside = try Binary.run(["backup", "restore", "9", "--store", store, "--force"])
        #expect(outside.status == 74 && outside.stderr.contains("outside the backups folder"), "\(outside.stderr)")
    }
}
