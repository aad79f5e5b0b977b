import Foundation
import Testing
import WamigrateBench
import WamigratePostgres
import WamigrateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The pipeline on a PostgreSQL job (`--store postgres://…`), through the built binary: the
/// same output files as on a SQLite store, one writer at a time, no password shown, the
/// SQLite-only commands refused, and a run killed with SIGKILL resumed to the same result.
/// Each test gets its own database on the server `WAMIGRATE_TEST_POSTGRES` names; without
/// one the suite is skipped, unless `WAMIGRATE_REQUIRE_POSTGRES=1` (then it fails).
@Suite(
    "End to end: PostgreSQL",
    .enabled(if: PostgresEndToEnd.enabled, "WAMIGRATE_TEST_POSTGRES is not set (scripts/test.sh starts a cluster)"),
    .serialized)
struct PostgresEndToEndTests {
    typealias E2E = PostgresEndToEnd
    static let password = "s3cretpw"

    // MARK: - The same outputs on both engines

    @Test func theSamplesGiveTheSameFilesAsOnSQLite() throws {
        let database = try PostgresTestDatabase()
        let folder = TempFolder()
        let sqlite = try Binary.run(E2E.runArguments(store: folder.file("job.sqlite"), out: folder.file("sqlite"), E2E.samples))
        #expect(sqlite.status == 0, "\(sqlite.stderr)")
        let postgres = try Binary.run(E2E.runArguments(store: database.address.url, out: folder.file("pg"), E2E.samples))
        #expect(postgres.status == 0, "\(postgres.stderr)")
        try SameOutputs.expect(folder.file("pg"), equals: folder.file("sqlite"))
        // The samples' known figures, so the comparison is not of two empty folders.
        let books = try Summary(folder.file("pg")).json["books"] as? [String: Any] ?? [:]
        #expect(books["rows_in"] as? Int == 41)
        #expect(try CSVTable(path: folder.file("pg/contacts.csv")).rows.count == 23)
    }

    @Test func aGeneratedPairGivesTheSameFilesAsOnSQLite() throws {
        let database = try PostgresTestDatabase()
        let folder = TempFolder()
        let inputs = E2E.generated(try ExportGenerator(rows: 6_000, seed: 11).write(to: folder.file("in")))
        let sqlite = try Binary.run(E2E.runArguments(store: folder.file("job.sqlite"), out: folder.file("sqlite"), inputs))
        #expect(sqlite.status == 0, "\(sqlite.stderr)")
        let postgres = try Binary.run(E2E.runArguments(store: database.address.url, out: folder.file("pg"), inputs))
        #expect(postgres.status == 0, "\(postgres.stderr)")
        try SameOutputs.expect(folder.file("pg"), equals: folder.file("sqlite"))
        #expect(try CSVTable(path: folder.file("pg/contacts.csv")).rows.count > 1_000)
    }

    // MARK: - One writer at a time

    @Test func aSecondWriterIsRefusedWhileTheFirstHoldsTheLock() throws {
        let database = try PostgresTestDatabase()
        let folder = TempFolder()
        let url = database.address.url
        let inputs = E2E.generated(try ExportGenerator(rows: 12_000, seed: 3).write(to: folder.file("in")))
        let holder = try HeldWriter(E2E.runArguments(store: url, out: folder.file("held"), inputs), address: database.address)

        // A writer waits a few seconds for a lock a killed command's session may still hold,
        // then gives up: this holder is alive (stopped), so it must give up.
        let second = try Binary.run(["extract", "--store", url, "--mapping", "generic", E2E.samples[0].path])
        #expect(second.status == 75, "\(second.stderr)")
        #expect(second.stderr.contains("E_STORE_BUSY"), "\(second.stderr)")
        // The holder's command line and process, as the holder recorded them.
        #expect(second.stderr.contains(" run --store \(url) --out \(folder.file("held"))"), "\(second.stderr)")
        #expect(second.stderr.contains("(pid \(holder.pid) on "), "\(second.stderr)")

        // The holder, let go, finishes its run; the lock went with it.
        #expect(holder.resume() == 0)
        #expect(try Summary(folder.file("held")).booksBalanced)
        let after = try Binary.run(["export", "--store", url, "--out", folder.file("after")])
        #expect(after.status == 0, "\(after.stderr)")
    }

    // MARK: - Passwords and the commands PostgreSQL does not run

    @Test func aPasswordInTheURLIsNeverShown() throws {
        let database = try PostgresTestDatabase()
        let url = E2E.url(database.address.url, withPassword: Self.password)
        let redacted = E2E.url(database.address.url, withPassword: "***")
        let work = TempFolder()
        let inputs = E2E.samples
        let commands: [[String]] = [
            E2E.runArguments(store: url, out: "run", inputs) + ["--verbose"],
            E2E.runArguments(store: url, out: "forced", inputs) + ["--force", "--json"],
            ["extract", "--store", url, "--verbose", "--default-region", "DE", "--mapping", "generic", "--mapping", "viber"]
                + inputs.map(\.path),
            ["normalize", "--store", url, "--verbose"],
            ["dedupe", "--store", url, "--out", "dedupe", "--verbose"],
            ["verify", "--store", url, "--verbose"],
            ["import", "--store", url, "--out", "import", "--verbose"],
            ["export", "--store", url, "--out", "export", "--json"],
            ["status", "--store", url],
            ["status", "--store", url, "--json"],
        ]
        for arguments in commands {
            let result = try Binary.run(arguments, in: work.path)
            #expect(result.status == 0, "\(arguments[0]): \(result.stderr)")
            #expect(!result.stdout.contains(Self.password), "\(arguments[0]) stdout: \(result.stdout)")
            #expect(!result.stderr.contains(Self.password), "\(arguments[0]) stderr: \(result.stderr)")
        }
        let written = E2E.files(under: work.path)
        #expect(written.keys.contains("run/summary.json") && written.keys.contains("export/contacts.csv"))
        for (name, bytes) in written {
            #expect(!String(decoding: bytes, as: UTF8.self).contains(Self.password), "\(name) shows the password")
        }
        // The store is named, without its password; nothing but the --out folders is made.
        #expect(try Summary(work.file("run")).json["store"] as? String == redacted)
        #expect(E2E.entries(of: work.path) == ["dedupe", "export", "forced", "import", "run"])
    }

    @Test func theSQLiteOnlyCommandsRefuseAPostgresJobAndWriteNothing() throws {
        let database = try PostgresTestDatabase()
        let url = E2E.url(database.address.url, withPassword: Self.password)
        let folder = TempFolder()
        let made = try Binary.run(E2E.runArguments(store: url, out: folder.file("out"), E2E.samples))
        #expect(made.status == 0, "\(made.stderr)")
        let work = TempFolder()
        let commands: [[String]] = [
            ["backup", "list", "--store", url],
            ["backup", "restore", "1", "--store", url],
            ["scenarios", "convert", Binary.packageRoot + "/samples/scenarios", "--out", "converted", "--store", url],
        ]
        for arguments in commands {
            let result = try Binary.run(arguments, in: work.path)
            #expect(result.status != 0, "\(arguments[0]) exits non-zero")
            #expect(result.status == 74, "\(arguments[0]): E_STORE's status; \(result.stderr)")
            #expect(result.stderr.contains("E_STORE:"), "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("does not run on a PostgreSQL job store"), "\(arguments[0]): \(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains(Self.password), "\(arguments[0]) shows the password")
            #expect(E2E.entries(of: work.path).isEmpty, "\(arguments[0]) left \(E2E.entries(of: work.path))")
        }
    }

    /// libpq takes a password as a URL query parameter too; the URL shown must hide it as well.
    @Test func aPasswordInTheURLQueryIsNeverShown() throws {
        let database = try PostgresTestDatabase()
        let url = database.address.url + (database.address.url.contains("?") ? "&" : "?") + "password=" + Self.password
        let work = TempFolder()
        let result = try Binary.run(E2E.runArguments(store: url, out: "out", E2E.samples), in: work.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(Self.password), "stdout: \(result.stdout.prefix(200))")
        #expect(!result.stderr.contains(Self.password), "stderr: \(result.stderr)")
        for (name, bytes) in E2E.files(under: work.path) {
            #expect(!String(decoding: bytes, as: UTF8.self).contains(Self.password), "\(name) shows the password")
        }
    }

    /// `--store=URL` is the same option as `--store URL`: the command line a writer records
    /// (and a refused second writer prints) must hide the password either way.
    @Test func aPasswordGivenAsStoreEqualsIsNotShownToTheNextWriter() throws {
        let database = try PostgresTestDatabase()
        let url = E2E.url(database.address.url, withPassword: Self.password)
        let folder = TempFolder()
        let inputs = E2E.generated(try ExportGenerator(rows: 12_000, seed: 4).write(to: folder.file("in")))
        var arguments = E2E.runArguments(store: url, out: folder.file("held"), inputs)
        arguments.replaceSubrange(1...2, with: ["--store=" + url])
        let holder = try HeldWriter(arguments, address: database.address)
        let second = try Binary.run(["export", "--store", url, "--out", folder.file("refused")])
        #expect(second.status == 75, "\(second.stderr)")
        #expect(second.stderr.contains("E_STORE_BUSY"), "\(second.stderr)")
        #expect(!second.stderr.contains(Self.password), "\(second.stderr)")
        #expect(holder.resume() == 0)
    }

    // MARK: - kill -9 and run again

    @Test func aRunKilledWithSIGKILLResumesToTheSameFilesAsOnSQLite() throws {
        let folder = TempFolder()
        let inputs = E2E.generated(try ExportGenerator(rows: 18_000, seed: 7).write(to: folder.file("in")))
        let reference = try Binary.run(E2E.runArguments(store: folder.file("ref.sqlite"), out: folder.file("ref"), inputs))
        #expect(reference.status == 0, "\(reference.stderr)")

        for trial in 1...3 {
            let database = try PostgresTestDatabase()
            let out = folder.file("pg\(trial)")
            let arguments = E2E.runArguments(store: database.address.url, out: out, inputs)
            let delay = Double.random(in: 0.3...2.0)
            let started = Date()
            let process = try Binary.start(arguments)
            Thread.sleep(forTimeInterval: delay)
            let wasRunning = process.isRunning
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            // The killed command's session (and with it the writer lock) ends once the server
            // sees the connection closed; the next writer waits a few seconds for that. Told
            // E_STORE_BUSY all the same, it tries again (a lock that outlives the kill fails below).
            var busy = 0
            let resumeStarted = Date()
            var resumed = try Binary.run(arguments)
            while resumed.status == 75, busy < 100 {
                busy += 1
                Thread.sleep(forTimeInterval: 0.1)
                resumed = try Binary.run(arguments)
            }
            let note =
                "trial \(trial): killed after \(String(format: "%.2f", delay)) s (running: \(wasRunning)), "
                + "\(busy) busy answers, resumed in \(String(format: "%.2f", Date().timeIntervalSince(resumeStarted))) s, "
                + "\(String(format: "%.2f", Date().timeIntervalSince(started))) s in all"
            print(note)
            #expect(resumed.status == 0, "\(note): \(resumed.stderr)")
            try SameOutputs.expect(
                out, equals: folder.file("ref"), ignoringInSummary: ["run_id", "stages_run", "stages_skipped"])
        }
    }
}
