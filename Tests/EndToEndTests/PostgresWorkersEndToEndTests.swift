import Foundation
import Testing
import WamigrateBench
import WamigrateTestSupport

/// Normalize and dedupe shared by several processes on a PostgreSQL job: a coordinator and
/// workers that claim batches or partitions, killed with SIGKILL at random points and started
/// again. Nothing is lost or written twice: the job's outputs are those of a SQLite run of the
/// same exports.
@Suite("End to end: PostgreSQL workers", .serialized)
struct PostgresWorkersEndToEndTests {
    static let enabled = PostgresTestDatabase.server != nil || PostgresTestDatabase.required

    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func killedWorkersAndCoordinatorLoseNothingAndRepeatNothing() throws {
        let folder = TempFolder()
        let files = try ExportGenerator(rows: 60_000, seed: 31).write(to: folder.file("in"))
        let inputs = ["--mapping", "generic", files.sms, "--mapping", "viber", files.viber]
        let sqlite = folder.file("job.sqlite")
        let reference = try Binary.run(
            ["run", "--store", sqlite, "--default-region", "DE", "--out", folder.file("sqlite"), "-q"] + inputs)
        #expect(reference.status == 0, "\(reference.stderr)")

        let database = try PostgresTestDatabase()
        let url = database.address.url
        let extract = try Binary.run(["extract", "--store", url, "--default-region", "DE", "-q"] + inputs)
        #expect(extract.status == 0, "\(extract.stderr)")
        // Small batches, so ten kills land in the middle of the work.
        let coordinatorArguments = ["normalize", "--store", url, "--batch-rows", "60", "-q"]
        let workerArguments = ["normalize", "--store", url, "--worker", "--wait", "30", "-q"]
        try Self.killAtRandom(coordinator: coordinatorArguments, workers: workerArguments, pause: 0.02...0.2)

        let status = try Binary.run(["status", "--store", url, "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        let batches = try ToolJSON(output: status)["normalize_batches"]
        #expect(batches["batches_done"].int == batches["batches"].int)
        #expect(batches["rows_done"].int == 60_000 && batches["rows"].int == 60_000)
        // The workers did share the work (a worker whose plan differed would have refused it).
        let doneBy = batches["workers"].counts
        #expect(doneBy.count >= 3, "batches by worker: \(doneBy)")
        let rest = try Binary.run(["run", "--store", url, "--out", folder.file("pg"), "-q"] + inputs)
        #expect(rest.status == 0, "\(rest.stderr)")
        try SameOutputs.expect(
            folder.file("pg"), equals: folder.file("sqlite"), ignoringInSummary: ["run_id", "stages_run", "stages_skipped"])
    }

    /// Dedupe shared by the coordinator's two connections and two `dedupe --worker` processes,
    /// killed with SIGKILL at random points (the coordinator once too) and started again: every
    /// number's contact is written once, and the outputs are a SQLite run's.
    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func killedDedupeWorkersAndCoordinatorLoseNothingAndRepeatNothing() throws {
        let folder = TempFolder()
        let files = try ExportGenerator(rows: 40_000, seed: 32).write(to: folder.file("in"))
        let inputs = ["--mapping", "generic", files.sms, "--mapping", "viber", files.viber]
        let reference = try Binary.run(
            ["run", "--store", folder.file("job.sqlite"), "--default-region", "DE", "--out", folder.file("sqlite"), "-q"]
                + inputs)
        #expect(reference.status == 0, "\(reference.stderr)")

        let database = try PostgresTestDatabase()
        let url = database.address.url
        let extract = try Binary.run(["extract", "--store", url, "--default-region", "DE", "-q"] + inputs)
        #expect(extract.status == 0, "\(extract.stderr)")
        let normalize = try Binary.run(["normalize", "--store", url, "-q"])
        #expect(normalize.status == 0, "\(normalize.stderr)")
        // Small partitions, so the kills land in the middle of the work.
        let coordinatorArguments = ["dedupe", "--store", url, "--partition-rows", "200", "--cores", "2", "-q"]
        let workerArguments = ["dedupe", "--store", url, "--worker", "--wait", "30", "--cores", "1", "-q"]
        try Self.killAtRandom(coordinator: coordinatorArguments, workers: workerArguments, pause: 0.05...0.3)

        let status = try ToolJSON(output: try Binary.run(["status", "--store", url, "--json"]))
        let partitions = status["dedupe_partitions"]
        #expect(partitions["batches_done"].int == partitions["batches"].int)
        #expect(partitions["workers"].counts.count >= 3, "partitions by worker: \(partitions["workers"].counts)")
        // Every row that makes a contact is in exactly one contact.
        let linked = try Auditor.recompute(
            "SELECT COUNT(*), COUNT(DISTINCT row_id) FROM contact_rows", in: url)
        #expect(linked.first?[0] == linked.first?[1] && linked.first?[0] == String(partitions["rows"].int ?? -1))
        let rest = try Binary.run(["run", "--store", url, "--out", folder.file("pg"), "-q"] + inputs)
        #expect(rest.status == 0, "\(rest.stderr)")
        try SameOutputs.expect(
            folder.file("pg"), equals: folder.file("sqlite"), ignoringInSummary: ["run_id", "stages_run", "stages_skipped"])
    }

    /// A worker asked of a job it cannot join says why and how to go on, and writes nothing: a
    /// SQLite job (one writer) is refused at once, a PostgreSQL job with nothing planned once
    /// the wait is over.
    @Test(arguments: ["normalize", "dedupe"])
    func aWorkerWithNothingToJoinSaysWhyAndWritesNothing(_ stage: String) throws {
        let folder = TempFolder()
        let sqlite = folder.file("job.sqlite")
        let refused = try Binary.run([stage, "--store", sqlite, "--worker", "-q"])
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("E_USAGE") && refused.stderr.contains("--worker needs a PostgreSQL job store"))
        #expect(refused.stderr.contains("wamigrate \(stage) --store"), "the fix names the command: \(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sqlite))
        guard Self.enabled else { return }
        let database = try PostgresTestDatabase()
        let extract = try Binary.run(
            [
                "extract", "--store", database.address.url, "--default-region", "DE", "-q",
                Binary.packageRoot + "/samples/sms_subscribers.csv",
            ])
        #expect(extract.status == 0, "\(extract.stderr)")
        let idle = try Binary.run([stage, "--store", database.address.url, "--worker", "--wait", "0", "-q"])
        #expect(idle.status != 0 && idle.stderr.contains("no \(stage) is planned on this job"), "\(idle.stderr)")
        let status = try ToolJSON(output: try Binary.run(["status", "--store", database.address.url, "--json"]))
        #expect(status["stages"].array.filter { $0["ran"].bool == true }.map { $0["stage"].string } == ["extract"])
    }

    /// The README's team job: a worker started before `run`, while the job is still empty (and
    /// then while extract runs), joins the normalize `run` plans and does some of its batches.
    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func aWorkerStartedBeforeTheRunJoinsIt() throws {
        let folder = TempFolder()
        let files = try ExportGenerator(rows: 60_000, seed: 7).write(to: folder.file("in"))
        let database = try PostgresTestDatabase()
        let url = database.address.url
        let worker = try Binary.start(["normalize", "--store", url, "--worker", "--wait", "60", "-q"])
        Thread.sleep(forTimeInterval: 0.5)
        let run = try Binary.run(
            [
                "run", "--store", url, "--default-region", "DE", "-q", "--mapping", "generic", files.sms, "--mapping", "viber",
                files.viber,
            ])
        #expect(run.status == 0, "\(run.stderr)")
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)
        let status = try Binary.run(["status", "--store", url, "--json"])
        let doneBy = try ToolJSON(output: status)["normalize_batches"]["workers"].counts
        #expect(doneBy.count == 2, "batches by worker: \(doneBy)")
        #expect(doneBy.values.allSatisfy { $0 > 0 })
    }

    /// Starts the coordinator and two workers and kills one of them with SIGKILL every `pause`
    /// (the coordinator once, the sixth time), starting each again, until twelve were killed or
    /// the coordinator ended; then expects the coordinator's success and at least ten kills.
    /// Workers still waiting for a next plan once it ended are stopped: nothing is left for them.
    static func killAtRandom(
        coordinator arguments: [String], workers workerArguments: [String], pause: ClosedRange<Double>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var coordinator = try Binary.start(arguments)
        var workers = [try Binary.start(workerArguments), try Binary.start(workerArguments)]
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        while kills < 12, coordinator.isRunning {
            Thread.sleep(forTimeInterval: Double.random(in: pause, using: &generator))
            if kills == 6 {
                // The coordinator too: started again, it resumes its plan.
                kill(coordinator.processIdentifier, SIGKILL)
                coordinator.waitUntilExit()
                coordinator = try Binary.start(arguments)
                kills += 1
                continue
            }
            let victim = Int.random(in: 0..<workers.count, using: &generator)
            guard workers[victim].isRunning else { continue }
            kill(workers[victim].processIdentifier, SIGKILL)
            workers[victim].waitUntilExit()
            workers[victim] = try Binary.start(workerArguments)
            kills += 1
        }
        coordinator.waitUntilExit()
        #expect(coordinator.terminationStatus == 0, sourceLocation: sourceLocation)
        Thread.sleep(forTimeInterval: 1)  // a worker finishing its last unit exits by itself
        for worker in workers where worker.isRunning { kill(worker.processIdentifier, SIGTERM) }
        for worker in workers { worker.waitUntilExit() }
        #expect(kills >= 10, "only \(kills) processes were still running to be killed", sourceLocation: sourceLocation)
    }

}
