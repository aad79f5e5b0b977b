import ArgumentParser
import Foundation
import WamigrateBench
import WamigrateCore

struct BenchCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-campaign",
        abstract: "Seed a store with N reconsent contacts and time `campaign plan` on it: seconds and peak RSS.",
        discussion: "Build with -c release for real figures: .build/release/wamigrate bench-campaign --contacts 1000000")

    @Option(help: "Contacts on the reconsent list.") var contacts = 1_000_000
    @Option(help: "Folder for the store.") var dir = "bench-data"
    @Option(parsing: .upToNextOption, help: "Message files (default: the checkout's mappings/reconsent/*.yml).")
    var message: [String] = []
    @Flag(help: "Print the figures as JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let executable = ThisBinary.path
            var files = message
            if files.isEmpty, let directory = MappingCatalog().directory {
                let folder = directory + "/reconsent"
                files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yml") }
                    .sorted().map { folder + "/" + $0 }
            }
            let bench = CampaignBenchmark(contacts: contacts, directory: dir, executable: executable, messages: files)
            let figures = try bench.run { Stderr.write("bench: \($0)\n") }
            if json { return try printJSON(figures) }
            print(
                """
                contacts:   \(figures.contacts) (seeded in \(String(format: "%.1f", figures.seedSeconds)) s)
                plan:       \(String(format: "%.2f", figures.planSeconds)) s → \(Int(figures.contactsPerSecond)) contacts/s
                peak RSS:   \(String(format: "%.0f", figures.peakRSSMegabytes)) MB (the plan's process)
                planned:    \(figures.planned) over \(figures.days) days; not planned: \(figures.excluded.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                """)
        }
    }
}
