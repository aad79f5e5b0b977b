import ArgumentParser
import Foundation
import WamigrateCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a messy pair of exports with known answers and measure the pipeline: rows/s, per-stage "
            + "seconds, peak RSS, and agreement with the generator's truth.",
        discussion: """
            Build with -c release for real figures: swift build -c release && .build/release/wamigrate bench
            Every row's right number comes from the generator (country code + a national number from the country's plan), \
            not from libphonenumber. Exit 3 when a row gets a wrong number, a contact merges two people, an opted-out \
            person comes out opted in, the books do not balance or the reference check finds a mismatch.
            """)

    @Option(help: "Rows to generate across both exports.")
    var rows = 1_000_000

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

    func run() throws {
        try runReportingErrors {
            let binary = executable ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
            let bench = PipelineBenchmark(
                rows: rows, seed: seed, directory: dir, executable: binary, verify: !noVerify, modes: mappings.modes)
            let figures = try bench.run { Stderr.write("bench: \($0)\n") }
            if json {
                try printJSON(figures)
            } else {
                print(
                    "rows:            \(figures.rows) (seed \(figures.seed), generated in \(Self.seconds(figures.generateSeconds)))"
                )
                for run in figures.runs { print(Self.describe(run)) }
            }
            let failed = figures.runs.contains {
                $0.mismatches > 0 || !$0.booksBalanced || $0.truth.wrongE164 > 0 || $0.truth.contactsMergingPeople > 0
                    || $0.truth.optedOutListedOptedIn > 0 || $0.truth.unmatched > 0
            }
            if failed { throw ExitCode(3) }
        }
    }

    static func describe(_ run: PipelineBenchmark.ModeFigures) -> String {
        let truth = run.truth
        var lines = [
            "",
            "mappings:        \(run.mode.rawValue) (\(run.profiles.joined(separator: ", ")))",
            "end to end:      \(seconds(run.runSeconds))  → \(Int(run.rowsPerSecond)) rows/s",
            "stages:          "
                + run.stageSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(seconds($0.value))" }.joined(separator: ", "),
            "peak RSS:        \(String(format: "%.0f", run.peakRSSMegabytes)) MB (largest child so far)",
            "report:          \(seconds(run.reportSeconds)) (wamigrate report on the same store)",
            "libphonenumber:  \(run.libraryCalls) calls, \(run.cacheHits) cache hits",
            "contacts:        \(run.contacts), rejected rows \(run.rejected), books \(run.booksBalanced ? "balanced" : "NOT balanced")",
            "ambiguous:       \(run.ambiguous["international"] ?? 0) read internationally, \(run.ambiguous["national"] ?? 0) nationally (flagged)",
            "truth:           \(truth.right) / \(truth.rows) rows right (\(String(format: "%.4f", truth.rightShare * 100)) %), "
                + "\(truth.wrongE164) wrong E.164, \(truth.missed) recoverable numbers missed",
            "people:          \(truth.contactsMergingPeople) contacts merge two people; \(truth.optedOutListedOptedIn) of "
                + "\(truth.optedOutPeople) opted-out people come out opted in",
            "reference check: \(run.verifiedRows) rows re-parsed directly, \(run.mismatches) mismatches",
        ]
        lines += truth.wrongSamples.map { "  wrong: \($0)" }
        return lines.joined(separator: "\n")
    }

    static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
}
