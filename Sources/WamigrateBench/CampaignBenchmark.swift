import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// `bench-campaign`: a store with N contacts on the reconsent list (DE, US
/// in four zones, GB, UA and Viber-only users; 5 % opted out in the ledger),
/// then `campaign plan` run as a child process: wall time and its peak RSS.
public struct CampaignBenchmark {
    public var contacts: Int
    public var directory: String
    public var executable: String
    public var messages: [String]

    public init(contacts: Int, directory: String, executable: String, messages: [String]) {
        self.contacts = contacts
        self.directory = directory
        self.executable = executable
        self.messages = messages
    }

    public struct Figures: Codable, Sendable {
        public var contacts: Int
        public var seedSeconds: Double
        public var planSeconds: Double
        public var contactsPerSecond: Double
        public var peakRSSMegabytes: Double
        public var planned: Int
        public var excluded: [String: Int]
        public var days: Int
    }

    public func run(progress: (String) -> Void) throws -> Figures {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/campaign-bench.sqlite"
        JobStore.removeFiles(at: path)
        let seedStart = Date()
        try JobStore.seedCampaignBench(path: path, contacts: contacts)
        let seedSeconds = Date().timeIntervalSince(seedStart)
        progress("seeded \(contacts) contacts in \(String(format: "%.1f", seedSeconds)) s")

        let child = try ChildRun.measure(
            executable: executable,
            arguments: ["campaign", "plan", "--store", path, "--name", "bench", "--json", "--fallback-zone", "Europe/Berlin"]
                + ["--start", "2026-11-23T06:00:00Z", "--message"] + messages, what: "the benchmark plan")
        let seconds = child.seconds
        let data = child.stdout
        let summary = try JSONDecoder.output.decode(PlanSummary.self, from: data)
        return Figures(
            contacts: contacts, seedSeconds: seedSeconds, planSeconds: seconds, contactsPerSecond: Double(contacts) / seconds,
            peakRSSMegabytes: child.peakRSSMegabytes, planned: summary.planned, excluded: summary.excluded,
            days: summary.byDay.count)
    }

}
