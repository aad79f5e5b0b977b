import Foundation
import WamigrateBase
import WamigrateStore

/// `bench-rollout`: a store with N WhatsApp-ready contacts and two approved templates, a
/// wave planned as a gradual A/B rollout with a holdout (child), every message then marked
/// sent with its statuses, replies and STOPs, and `wave status --json` timed as a child
/// several times: the figures it reads in one pass over the wave.
public struct RolloutBenchmark {
    public var contacts: Int
    public var repeats: Int
    public var directory: String
    public var executable: String
    /// The issue's target for `wave status` on 1M planned messages.
    public static let targetSeconds = 1.0

    public init(contacts: Int, repeats: Int, directory: String, executable: String) {
        self.contacts = contacts
        self.repeats = repeats
        self.directory = directory
        self.executable = executable
    }

    public struct Figures: Codable, Sendable {
        public var contacts: Int
        public var planSeconds: Double
        public var planPeakRSSMegabytes: Double
        /// `wave status` right after the plan (every message planned) and after every message went out.
        public var plannedStatusSeconds: [Double]
        public var plannedStatusMedianSeconds: Double
        public var statusSeconds: [Double]
        public var statusMedianSeconds: Double
        public var statusPeakRSSMegabytes: Double
        public var targetSeconds: Double
        public var measured: Int
        public var withinTarget: Bool
    }

    public func run(progress: (String) -> Void) throws -> Figures {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/rollout-bench.sqlite"
        JobStore.removeFiles(at: path)
        try JobStore.seedWaveBench(path: path, contacts: contacts)
        try JobStore.seedRolloutBenchTemplate(path: path)
        let plan = try ChildRun.measure(
            executable: executable,
            arguments: [
                "wave", "plan", "--store", path, "--name", "bench", "--template", "bench_template", "--language", "en",
                "--rollout", "1%,10%,50%,100%", "--variants", "A=bench_template,B=bench_template_b", "--holdout", "5%",
                "--gate", "delivered>=0.9,read>=0.3,optout<=0.01,blocked<=0.005", "--keep-backups", "0",
            ], what: "wave plan")
        progress("planned \(contacts) people in \(String(format: "%.1f", plan.seconds)) s; marking every message sent")
        let planned = try timeStatus(path)
        try JobStore.seedRolloutOutcomes(path: path, wave: "bench", now: Clock.unixNow())
        let sent = try timeStatus(path)
        return Figures(
            contacts: contacts, planSeconds: plan.seconds, planPeakRSSMegabytes: plan.peakRSSMegabytes,
            plannedStatusSeconds: planned.seconds, plannedStatusMedianSeconds: planned.median, statusSeconds: sent.seconds,
            statusMedianSeconds: sent.median, statusPeakRSSMegabytes: max(planned.rss, sent.rss),
            targetSeconds: Self.targetSeconds, measured: sent.measured,
            withinTarget: max(planned.median, sent.median) <= Self.targetSeconds)
    }

    /// `wave status --json` timed `repeats` times: each run, the median, the peak RSS and the
    /// measured messages it counted.
    func timeStatus(_ path: String) throws -> (seconds: [Double], median: Double, rss: Double, measured: Int) {
        var seconds: [Double] = []
        var rss = 0.0
        var measured = 0
        for _ in 0..<max(1, repeats) {
            let status = try ChildRun.measure(
                executable: executable, arguments: ["wave", "status", "--store", path, "--name", "bench", "--json"],
                what: "wave status")
            seconds.append(status.seconds)
            rss = max(rss, status.peakRSSMegabytes)
            let json = try JSONSerialization.jsonObject(with: status.stdout) as? [String: Any]
            let variants = (json?["rollout"] as? [String: Any])?["variants"] as? [[String: Any]] ?? []
            measured = variants.reduce(0) { $0 + (($1["signals"] as? [String: Any])?["measured"] as? Int ?? 0) }
        }
        return (seconds, seconds.sorted()[seconds.count / 2], rss, measured)
    }
}
