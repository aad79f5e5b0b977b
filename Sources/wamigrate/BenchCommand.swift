import ArgumentParser
import Foundation
import WamigrateCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a messy pair of exports and measure the pipeline: rows/s, per-stage seconds, peak RSS.",
        discussion: "Build with -c release for real figures: swift build -c release && .build/release/wamigrate bench")

    @Option(help: "Rows to generate across both exports.")
    var rows = 1_000_000

    @Option(help: "Folder for the generated exports, the store and the outputs.")
    var dir = "bench-data"

    @Flag(help: "Skip re-checking every row against plain libphonenumber calls.")
    var noVerify = false

    @Flag(help: "Print the figures as JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
            let bench = PipelineBenchmark(rows: rows, directory: dir, executable: executable, verify: !noVerify)
            let figures = try bench.run { FileHandle.standardError.write(Data("bench: \($0)\n".utf8)) }
            if json { try printJSON(figures); return }
            print(
                """
                rows:            \(figures.rows)
                end to end:      \(String(format: "%.2f", figures.runSeconds)) s  → \(Int(figures.rowsPerSecond)) rows/s
                stages:          \(figures.stageSeconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value)) s" }.joined(separator: ", "))
                peak RSS:        \(String(format: "%.0f", figures.peakRSSMegabytes)) MB (the run's process)
                report:          \(String(format: "%.2f", figures.reportSeconds)) s (wamigrate report on the same store)
                libphonenumber:  \(figures.libraryCalls) calls, \(figures.cacheHits) cache hits
                contacts:        \(figures.contacts), rejected rows \(figures.rejected), books \(figures.booksBalanced ? "balanced" : "NOT balanced")
                reference check: \(figures.verifiedRows) rows re-parsed directly, \(figures.mismatches) mismatches
                """)
            if figures.mismatches > 0 || !figures.booksBalanced { throw ExitCode(3) }
        }
    }
}
