import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate messy exports and measure the pipeline (rows/s, peak RSS).")
    func run() throws {}
}
