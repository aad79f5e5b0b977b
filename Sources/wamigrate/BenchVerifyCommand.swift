import ArgumentParser
import ContactsAPI
import Foundation
import WamigrateBench
import WamigrateCore

struct BenchVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-verify",
        abstract:
            "Verify N contacts against the sandbox on loopback: checks/s per concurrency, and the share of a rate limit reached.",
        discussion: "Build with -c release for real figures: swift build -c release && .build/release/wamigrate bench-verify")

    @Option(help: "Contacts to verify.")
    var contacts = 200_000

    @Option(parsing: .upToNextOption, help: "Concurrency levels to measure.")
    var concurrency: [Int] = [1, 4, 16]

    @Option(help: "Checks/s for the rate-limited run (default: half the best unlimited rate).")
    var rateLimit: Double?

    @Option(help: "Folder for the generated export and store.")
    var dir = "bench-data"

    @Flag(help: "Print the figures as JSON.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let executable = ThisBinary.path
            let bench = VerifyBenchmark(
                contacts: contacts, concurrencies: concurrency, rateLimit: rateLimit, directory: dir, executable: executable)
            let figures = try bench.run { Stderr.write("bench-verify: \($0)\n") }
            if json { try printJSON(figures); return }
            print("contacts: \(figures.contacts), batches of \(figures.batchSize)")
            for level in figures.levels + [figures.limited].compactMap({ $0 }) {
                let limit = level.rateLimit.map { ", limit \(Int($0))/s" } ?? ""
                print(
                    String(
                        format: "concurrency %2d%@: %.2f s, %.0f checks/s, %d requests; server steady %.0f/s, max %d in 1 s",
                        level.concurrency, limit, level.seconds, level.checksPerSecond, level.requests, level.serverSteadyRate,
                        level.serverMaxInOneSecond))
            }
            if let share = figures.shareOfLimit { print(String(format: "rate limit reached: %.1f%% of it", share * 100)) }
        }
    }
}
