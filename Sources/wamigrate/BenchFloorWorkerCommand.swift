import ArgumentParser
import WamigrateBench

/// `wamigrate bench-floor-worker` (hidden): one process of the normalize floor `bench` measures.
struct BenchFloorWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-floor-worker", abstract: "Internal: a worker of the benchmark's normalize floor.",
        shouldDisplay: false)

    @Option var cells: String
    @Option var part: Int
    @Option var parts: Int
    @Option var region: String
    @Option var out: String

    func run() throws {
        try NormalizeFloor.work(cells: cells, part: part, parts: parts, region: region, out: out)
    }
}
