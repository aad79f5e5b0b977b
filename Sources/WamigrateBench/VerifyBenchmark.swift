import ContactsAPI
import Foundation
import Logging
import WamigrateCore
import WamigrateStore

/// `wamigrate bench-verify`: builds a store of N contacts, starts the sandbox
/// (the same binary, a child process on a free loopback port) and verifies every
/// contact at each concurrency level, then once more under a rate limit, and
/// reports checks/s and how close the client came to the limit.
public struct VerifyBenchmark {
    public var contacts: Int
    public var concurrencies: [Int]
    /// Checks/s for the rate-limited run; nil: half the best unlimited rate.
    public var rateLimit: Double?
    public var directory: String
    public var executable: String

    public init(contacts: Int, concurrencies: [Int], rateLimit: Double?, directory: String, executable: String) {
        self.contacts = contacts
        self.concurrencies = concurrencies
        self.rateLimit = rateLimit
        self.directory = directory
        self.executable = executable
    }

    public struct Level: Codable, Sendable {
        public var concurrency: Int
        public var rateLimit: Double?
        public var seconds: Double
        public var checks: Int
        public var checksPerSecond: Double
        public var requests: Int
        /// At the sandbox: checks ÷ (last − first answer + one batch's slot at the limit);
        /// unlimited runs: (checks − one batch) ÷ (last − first answer).
        public var serverSteadyRate: Double
        public var serverMaxInOneSecond: Int
    }

    public struct Figures: Codable, Sendable {
        public var contacts: Int
        public var batchSize: Int
        public var levels: [Level]
        public var limited: Level?
        /// limited.serverSteadyRate ÷ rate limit.
        public var shareOfLimit: Double?
    }

    public func run(progress: (String) -> Void) throws -> Figures {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let input = directory + "/verify-bench.csv"
        var text = "phone,consent\n"
        text.reserveCapacity(contacts * 24)
        for index in 0..<contacts { text += "+49 151 \(String(format: "%08d", index)),yes\n" }
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let storePath = directory + "/verify-bench.sqlite"
        JobStore.removeFiles(at: storePath)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let options = PipelineOptions(
            storePath: storePath, config: JobConfig(defaultRegion: "DE", sources: [SourceSpec(path: input)]),
            command: "bench-verify")
        _ = try Pipeline(options: options, logger: logger, openStore: JobStore.open).run(stages: [.extract, .normalize, .dedupe])
        progress("store with \(contacts) contacts ready")
        let store = try JobStore(path: storePath)
        var figures = Figures(contacts: contacts, batchSize: 1000, levels: [])
        for concurrency in concurrencies {
            let level = try measure(store: store, concurrency: concurrency, rateLimit: nil)
            progress("concurrency \(concurrency): \(Int(level.checksPerSecond)) checks/s")
            figures.levels.append(level)
        }
        let best = figures.levels.map(\.checksPerSecond).max() ?? 1000
        let limit = rateLimit ?? (best / 2).rounded()
        let limited = try measure(store: store, concurrency: concurrencies.max() ?? 4, rateLimit: limit)
        progress("rate limit \(Int(limit)): \(Int(limited.serverSteadyRate)) checks/s at the server")
        figures.limited = limited
        figures.shareOfLimit = limited.serverSteadyRate / limit
        return figures
    }

    private func measure(store: JobStore, concurrency: Int, rateLimit: Double?) throws -> Level {
        let sandbox = try SandboxChild(executable: executable, arguments: ["--registered-rate", "0.7"])
        defer { sandbox.stop() }
        var configuration = ContactsAPIConfiguration(endpoint: sandbox.url, user: "admin", password: "secret")
        configuration.newPassword = "Bench-Passw0rd!"
        configuration.rateLimit = rateLimit
        var settings = VerifySettings()
        settings.verifier = .contactsAPI
        settings.endpoint = sandbox.url
        settings.user = "admin"
        settings.passwordEnv = "-"
        settings.concurrency = concurrency
        settings.rateLimit = rateLimit
        settings.forceCheck = true
        settings.allowOverBudget = true
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let checker = ContactsAPIClient(configuration: configuration, logger: logger)
        let runID = try store.beginRun(command: "bench-verify", dryRun: false, configJSON: "{}")
        let start = Date()
        let report = try VerifyStage(settings: settings, checker: checker, logger: logger)
            .runAlone(store: store, runID: runID)
        let seconds = Date().timeIntervalSince(start)
        try store.finishRun(runID, ok: true, audit: false)
        let stats = try sandbox.stats()
        let first = (stats["firstAnswerSeconds"] as? NSNumber)?.doubleValue ?? 0
        let last = (stats["lastAnswerSeconds"] as? NSNumber)?.doubleValue ?? 0
        let answered = (stats["contactsAnswered"] as? NSNumber)?.intValue ?? 0
        return Level(
            concurrency: concurrency, rateLimit: rateLimit, seconds: seconds, checks: report.checked,
            checksPerSecond: Double(report.checked) / seconds, requests: report.requests,
            serverSteadyRate: rateLimit.map { Double(answered) / (last - first + 1000 / $0) }
                ?? (last > first ? Double(answered - 1000) / (last - first) : 0),
            serverMaxInOneSecond: (stats["maxContactsInOneSecond"] as? NSNumber)?.intValue ?? 0)
    }
}
