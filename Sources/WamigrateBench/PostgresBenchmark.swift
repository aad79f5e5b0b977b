import Foundation
import WamigrateBase
import WamigratePostgres

/// `bench --postgres URL`: the same generated pair on a PostgreSQL job (a fresh database on that
/// server per leg, dropped after): the run's seconds per stage next to SQLite's, whether its
/// output files equal the SQLite run's, and normalize and dedupe shared by two workers of one
/// core each against one worker alone (the speed-up a second machine brings, on this machine's
/// two cores).
public struct PostgresBenchmark {
    public var server: PostgresAddress
    public var executable: String
    public var directory: String

    public init(server: PostgresAddress, executable: String, directory: String) {
        self.server = server
        self.executable = executable
        self.directory = directory
    }

    public struct Figures: Codable, Sendable {
        public var runSeconds: Double
        public var peakRSSMegabytes: Double
        public var stageSeconds: [String: Double]
        public var booksBalanced: Bool
        /// Output files that differ from the SQLite run's (contact ids relabelled): none when equal.
        public var differentOutputs: [String]
        /// The database after the run (`pg_database_size`), in MiB.
        public var databaseMegabytes: Double
        /// normalize with one worker of one core, and with two (the coordinator and `--worker`).
        public var normalizeOneWorkerSeconds: Double
        public var normalizeTwoWorkersSeconds: Double
        public var twoWorkersSpeedUp: Double { normalizeOneWorkerSeconds / max(normalizeTwoWorkersSeconds, 0.001) }
        /// dedupe's stage seconds with one worker on one connection, and with two (the
        /// coordinator and `dedupe --worker`, one connection each).
        public var dedupeOneWorkerSeconds: Double
        public var dedupeTwoWorkersSeconds: Double
        public var dedupeSpeedUp: Double { dedupeOneWorkerSeconds / max(dedupeTwoWorkersSeconds, 0.001) }
    }

    /// `sqliteOut`: the SQLite run's `--out` folder on the same files (explicit mappings).
    public func run(sms: String, viber: String, sqliteOut: String, progress: (String) -> Void) throws -> Figures {
        let inputs = ["--default-region", "DE", "--mapping", "generic", sms, "--mapping", "viber", viber]
        progress("PostgreSQL: running the pipeline…")
        let out = directory + "/out-postgres"
        let (run, size) = try withDatabase("run") { job in
            let child = try ChildRun.measure(
                executable: executable, arguments: ["run", "--store", job.url, "--out", out, "--json"] + inputs,
                what: "the PostgreSQL benchmark run")
            return (child, try PostgresDatabases.size(of: job))
        }
        let summary = try JSONDecoder.output.decode(ChildSummary.self, from: run.stdout)
        progress("PostgreSQL: normalize and dedupe with one worker of one core, then two…")
        let one = try withDatabase("one") { job in try shared(job, inputs: inputs, workers: 1) }
        let two = try withDatabase("two") { job in try shared(job, inputs: inputs, workers: 2) }
        return Figures(
            runSeconds: run.seconds, peakRSSMegabytes: run.peakRSSMegabytes, stageSeconds: summary.stageSeconds,
            booksBalanced: summary.books.balanced, differentOutputs: OutputComparison.differences(sqliteOut, out),
            databaseMegabytes: Double(size) / 1_048_576, normalizeOneWorkerSeconds: one.normalize,
            normalizeTwoWorkersSeconds: two.normalize, dedupeOneWorkerSeconds: one.dedupe, dedupeTwoWorkersSeconds: two.dedupe)
    }

    /// Extract; then normalize timed from the coordinator's start to its end, and dedupe's stage,
    /// each with `workers - 1` `--worker` processes started beside the coordinator, every
    /// process on one core (one connection).
    private func shared(_ job: PostgresAddress, inputs: [String], workers: Int) throws -> (
        normalize: Double, dedupe: Double
    ) {
        _ = try ChildRun.measure(
            executable: executable, arguments: ["extract", "--store", job.url, "-q"] + inputs, what: "extract")
        func coordinated(_ stage: String) throws -> ChildRun {
            let helpers = try (1..<max(1, workers)).map { _ in
                try Self.start(executable, [stage, "--store", job.url, "--worker", "--cores", "1", "-q"])
            }
            defer { for helper in helpers { helper.waitUntilExit() } }
            return try ChildRun.measure(
                executable: executable, arguments: [stage, "--store", job.url, "--cores", "1", "-q", "--json"],
                what: "the \(stage) coordinator")
        }
        let normalize = try coordinated("normalize").seconds
        let dedupe = try JSONDecoder.output.decode(ChildSummary.self, from: try coordinated("dedupe").stdout)
        return (normalize, dedupe.stageSeconds["dedupe"] ?? 0)
    }

    private func withDatabase<T>(_ leg: String, _ body: (PostgresAddress) throws -> T) throws -> T {
        let name = "wamigrate_bench_\(leg)_\(getpid())"
        try? PostgresDatabases.drop(name, on: server)
        let job = try PostgresDatabases.create(name, on: server)
        defer { try? PostgresDatabases.drop(name, on: server) }
        return try body(job)
    }

    private static func start(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }
}
