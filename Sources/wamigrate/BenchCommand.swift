import ArgumentParser
import Foundation
import WamigrateBench
import WamigrateCore
import WamigratePostgres

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Generate a messy pair of exports with known answers and measure the pipeline: rows/s, per-stage "
            + "seconds, peak RSS, and agreement with the generator's truth.",
        discussion: """
            Build with -c release for real figures: swift build -c release && .build/release/wamigrate bench
            Every row's right number comes from the generator (country code + a national number from the country's plan), \
            not from libphonenumber. Exit 3 when a row gets a wrong number, a contact merges two people, an opted-out \
            person comes out opted in, the books do not balance or the reference check finds a mismatch.
            """)

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Rows to generate across both exports; several sizes (--rows 100000 1000000 10000000) run one after "
                + "another, each in <dir>/<rows>, and end with a table of seconds per stage by size."))
    var rows = [1_000_000]

    @Option(help: "Seed of the generator: the same seed gives the same files.")
    var seed: UInt64 = 42

    @Option(help: "Folder for the generated exports, the stores and the outputs.")
    var dir = "bench-data"

    @Option(help: "Mapping modes to run: explicit (--mapping generic/viber), auto (detected), or both.")
    var mappings: MappingModes = .both

    @Option(help: "Run this wamigrate binary instead of this one (to compare builds on the same data).")
    var executable: String?

    @Flag(help: "Skip re-checking every row against plain libphonenumber calls.")
    var noVerify = false

    @Flag(help: "Skip measuring the native floors (read, library calls, sort, bulk insert) on the same files.")
    var noFloors = false

    @Option(
        help: ArgumentHelp(
            "A Python with phonenumbers (pip install -r Tests/Benchmarks/requirements.txt): times the plain script "
                + "Tests/Benchmarks/plain_pipeline.py on the same files."))
    var python: String?

    @Option(help: "The plain script --python runs.")
    var pythonScript = "Tests/Benchmarks/plain_pipeline.py"

    @Option(
        help: ArgumentHelp(
            "A PostgreSQL server (postgres://user@host:port/db) to run the same pair on too, explicit mappings.",
            discussion: "A database per leg is created on it and dropped; prints seconds per stage next to SQLite's, "
                + "whether the outputs are the same, and normalize's speed-up with two workers of one core."))
    var postgres: String?

    @Flag(help: "Print the figures as JSON.")
    var json = false

    enum MappingModes: String, ExpressibleByArgument {
        case explicit, auto, both
        var modes: [PipelineBenchmark.MappingMode] {
            switch self {
            case .explicit: [.explicit]
            case .auto: [.auto]
            case .both: [.explicit, .auto]
            }
        }
    }

    func validate() throws {
        if let postgres, PostgresAddress(postgres) == nil {
            throw ValidationError("--postgres takes a postgres:// or postgresql:// URL")
        }
    }

    func run() throws {
        try runReportingErrors {
            let binary = executable ?? ThisBinary.path
            var all: [PipelineBenchmark.Figures] = []
            for size in rows {
                var bench = PipelineBenchmark(
                    rows: size, seed: seed, directory: rows.count > 1 ? "\(dir)/\(size)" : dir, executable: binary,
                    verify: !noVerify, modes: mappings.modes)
                bench.floors = !noFloors
                bench.python = python.map { ($0, pythonScript) }
                bench.postgres = postgres.flatMap(PostgresAddress.init)
                let figures = try bench.run { Stderr.write("bench: \($0)\n") }
                all.append(figures)
                if !json {
                    print(
                        "rows:            \(figures.rows) (seed \(figures.seed), generated in \(Self.seconds(figures.generateSeconds)))"
                    )
                    for run in figures.runs { print(Self.describe(run)) }
                    print(Self.limits(figures))
                    if let postgres = figures.postgres { print(Self.describe(postgres, sqlite: figures.runs.first)) }
                    print("")
                }
            }
            if json {
                // One size prints its figures as before; several print a list.
                if all.count == 1 { try printJSON(all[0]) } else { try printJSON(all) }
            } else if all.count > 1 {
                print(Self.scaling(all))
            }
            let postgresFailed = all.contains { ($0.postgres.map { !$0.differentOutputs.isEmpty || !$0.booksBalanced }) ?? false }
            let failed =
                postgresFailed
                || all.flatMap(\.runs).contains {
                    $0.mismatches > 0 || !$0.booksBalanced || $0.truth.wrongE164 > 0 || $0.truth.contactsMergingPeople > 0
                        || $0.truth.optedOutListedOptedIn > 0 || $0.truth.unmatched > 0
                        || $0.truth.review != $0.truth.reviewWithTruth
                }
            if failed { throw ExitCode(3) }
        }
    }

    static func describe(_ run: PipelineBenchmark.ModeFigures) -> String {
        let truth = run.truth
        let share = String(format: "%.4f", truth.rightShare * 100)
        let truthLine =
            "truth:           \(truth.right) / \(truth.rows) rows right (\(share) %), \(truth.wrongE164) wrong E.164, "
            + "\(truth.missed) recoverable numbers missed, \(truth.review) in review "
            + "(\(truth.reviewWithTruth) with the true number among the candidates)"
        var lines: [String] = [
            "",
            "mappings:        \(run.mode.rawValue) (\(run.profiles.joined(separator: ", ")))",
            "end to end:      \(seconds(run.runSeconds))  → \(Int(run.rowsPerSecond)) rows/s",
            "stages:          "
                + run.stageSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(seconds($0.value))" }.joined(separator: ", "),
            "peak RSS:        \(String(format: "%.0f", run.peakRSSMegabytes)) MB (largest child so far)",
            "report:          \(seconds(run.reportSeconds)) (wamigrate report on the same store); trace of one contact "
                + String(format: "%.0f ms", run.traceSeconds * 1000),
            "store:           "
                + String(
                    format: "%.0f MB (%.0f bytes per input row)", run.storeMegabytes,
                    run.storeMegabytes * 1_048_576 / Double(max(1, run.truth.rows))),
            "libphonenumber:  \(run.libraryCalls) calls, \(run.cacheHits) cache hits",
            "contacts:        \(run.contacts), rejected rows \(run.rejected), books \(run.booksBalanced ? "balanced" : "NOT balanced")",
            "ambiguous:       \(run.ambiguous["international"] ?? 0) read internationally, \(run.ambiguous["national"] ?? 0) nationally (flagged)",
            truthLine,
            "people:          \(truth.contactsMergingPeople) contacts merge two people; \(truth.optedOutListedOptedIn) of "
                + "\(truth.optedOutPeople) opted-out people come out opted in",
            "reference check: \(run.verifiedRows) rows re-parsed directly, \(run.mismatches) mismatches",
        ]
        lines += truth.wrongSamples.map { "  wrong: \($0)" }
        return lines.joined(separator: "\n")
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }

    /// The run's `stage_seconds` keys, in the order the tables list them (a stage without a
    /// floor, like verify, is left out of the ratios).
    static let stages = [
        "extract", "normalize", "dedupe", "verify", "import", "import_files", "outputs", "report_queries", "audit",
    ]

    /// Each stage against its native floor, and the run against the plain Python script.
    static func limits(_ figures: PipelineBenchmark.Figures) -> String {
        var lines: [String] = []
        if let floor = figures.floor {
            lines.append("")
            lines.append(
                "native floor:    read \(seconds(floor.readSeconds)), normalize \(seconds(floor.normalizeSeconds)) "
                    + "(2 processes, \(floor.kept) valid of \(floor.rows)), sort \(seconds(floor.sortSeconds)) "
                    + "(\(floor.distinct) numbers), insert \(seconds(floor.insertSeconds)) = \(seconds(floor.totalSeconds))")
            for run in figures.runs {
                let stages = Self.stages.compactMap { stage -> String? in
                    guard let took = run.stageSeconds[stage], let limit = floor.floor(ofStage: stage), limit > 0 else {
                        return nil
                    }
                    return "\(stage) \(String(format: "%.1f", took / limit))×"
                }
                lines.append(
                    "vs floor (\(run.mode.rawValue)): whole run \(String(format: "%.1f", run.runSeconds / floor.totalSeconds))× "
                        + "(target ≤ 2.5×); " + stages.joined(separator: ", "))
            }
        }
        if let python = figures.python {
            let steps = python.steps.sorted { $0.key < $1.key }.filter { $0.key != "total" }
                .map { "\($0.key) \(seconds($0.value))" }.joined(separator: ", ")
            lines.append(
                "plain Python:    \(seconds(python.seconds)) (phonenumbers \(python.phonenumbers): \(steps)); "
                    + "\(python.contacts) contacts, \(python.rejected) rejected (its numbers are not checked)")
            for run in figures.runs {
                lines.append(
                    "vs Python (\(run.mode.rawValue)): \(String(format: "%.2f", python.seconds / run.runSeconds))× its speed (target ≥ 3×)"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Seconds per stage for each size and mode, and microseconds per input row:
    /// a linear stage keeps its µs/row as the size grows.
    static func scaling(_ all: [PipelineBenchmark.Figures]) -> String {
        var lines = ["scaling (seconds, and µs per input row in brackets):"]
        for mode in PipelineBenchmark.MappingMode.allCases {
            let runs = all.compactMap { figures in figures.runs.first { $0.mode == mode }.map { (figures.rows, $0) } }
            guard !runs.isEmpty else { continue }
            lines.append(
                "  \(mode.rawValue)".padding(toLength: 14, withPad: " ", startingAt: 0)
                    + runs.map { String($0.0).leftPadded(22) }.joined())
            func row(_ name: String, _ value: (PipelineBenchmark.ModeFigures) -> Double) {
                lines.append(
                    "  \(name)".padding(toLength: 14, withPad: " ", startingAt: 0)
                        + runs.map { rows, run in
                            String(format: "%.2f s (%.1f)", value(run), value(run) * 1e6 / Double(rows)).leftPadded(22)
                        }.joined())
            }
            for stage in Self.stages { row(stage) { $0.stageSeconds[stage] ?? 0 } }
            row("whole run") { $0.runSeconds }
            lines.append(
                "  peak RSS".padding(toLength: 14, withPad: " ", startingAt: 0)
                    + runs.map { String(format: "%.0f MB", $0.1.peakRSSMegabytes).leftPadded(22) }.joined())
            lines.append(
                "  store".padding(toLength: 14, withPad: " ", startingAt: 0)
                    + runs.map { String(format: "%.0f MB", $0.1.storeMegabytes).leftPadded(22) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}

extension Bench {
    /// The PostgreSQL leg: seconds per stage beside the SQLite run's, the outputs, the speed-up.
    static func describe(_ postgres: PostgresBenchmark.Figures, sqlite: PipelineBenchmark.ModeFigures?) -> String {
        let stages = ["extract", "normalize", "dedupe", "verify", "import", "audit", "outputs"]
        let perStage = stages.map { stage -> String in
            let pg = postgres.stageSeconds[stage].map(seconds) ?? "-"
            let lite = sqlite?.stageSeconds[stage].map(seconds) ?? "-"
            return "\(stage) \(pg) (SQLite \(lite))"
        }.joined(separator: ", ")
        return [
            "PostgreSQL:      \(seconds(postgres.runSeconds)) (SQLite \(sqlite.map { seconds($0.runSeconds) } ?? "-")), "
                + "peak RSS \(Int(postgres.peakRSSMegabytes)) MB, database \(Int(postgres.databaseMegabytes)) MB, books "
                + (postgres.booksBalanced ? "balanced" : "NOT balanced"),
            "  per stage:     \(perStage)",
            "  outputs:       "
                + (postgres.differentOutputs.isEmpty
                    ? "the same files as SQLite's (contact ids relabelled)"
                    : "DIFFER from SQLite's: \(postgres.differentOutputs.joined(separator: ", "))"),
            "  normalize:     one worker of one core \(seconds(postgres.normalizeOneWorkerSeconds)), two "
                + "\(seconds(postgres.normalizeTwoWorkersSeconds)): \(String(format: "%.2f", postgres.twoWorkersSpeedUp))× speed-up",
            "  dedupe:        one worker of one connection \(seconds(postgres.dedupeOneWorkerSeconds)), two "
                + "\(seconds(postgres.dedupeTwoWorkersSeconds)): \(String(format: "%.2f", postgres.dedupeSpeedUp))× speed-up",
        ].joined(separator: "\n")
    }
}
