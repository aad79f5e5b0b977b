import Foundation
import WamigrateBase
import WamigrateHTTP
import WamigrateStore

/// `bench-wave`: a store with N opted-in contacts on the whatsapp_ready list and an
/// approved template, a sandbox child, then `wave plan` and `wave send --rate R` as
/// children: messages per second against the cap, and the most the sandbox took in
/// any one second (never above the cap).
public struct WaveBenchmark {
    public var contacts: Int
    public var rate: Double
    public var directory: String
    public var executable: String

    public init(contacts: Int, rate: Double, directory: String, executable: String) {
        self.contacts = contacts
        self.rate = rate
        self.directory = directory
        self.executable = executable
    }

    public struct Figures: Codable, Sendable {
        public var contacts: Int
        public var cap: Double
        public var sent: Int
        public var seconds: Double
        public var perSecond: Double
        public var shareOfCap: Double
        public var sandboxMaxInOneSecond: Int
        public var sandboxMessages: Int
        public var mostToOneRecipient: Int
    }

    struct SendSummary: Decodable {
        var sent: Int
        var seconds: Double
        var perSecond: Double
    }

    public func run(progress: (String) -> Void) throws -> Figures {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/wave-bench.sqlite"
        JobStore.removeFiles(at: path)
        try JobStore.seedWaveBench(path: path, contacts: contacts)
        let sandbox = try SandboxChild(executable: executable, arguments: ["--any-template"])
        _ = try ChildRun.measure(
            executable: executable,
            arguments: [
                "wave", "plan", "--store", path, "--name", "bench", "--template", "bench_template", "--language", "en",
                "--keep-backups", "0",
            ], what: "wave plan")
        progress("planned \(contacts) messages; sending at \(Int(rate))/s to \(sandbox.url)")
        setenv("BENCH_TOKEN", "sandbox-token", 1)
        let send = try ChildRun.measure(
            executable: executable,
            arguments: [
                "wave", "send", "--store", path, "--name", "bench", "--endpoint", sandbox.url, "--phone-number-id", "1",
                "--token-env", "BENCH_TOKEN", "--rate", String(rate), "--json", "--keep-backups", "0",
            ], what: "wave send")
        let summary = try JSONDecoder.output.decode(SendSummary.self, from: send.stdout)
        let response = try HTTPClient().send(HTTPRequest(url: sandbox.url + "/_sandbox/whatsapp"))
        let stats = (try JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
        return Figures(
            contacts: contacts, cap: rate, sent: summary.sent, seconds: summary.seconds, perSecond: summary.perSecond,
            shareOfCap: summary.perSecond / rate, sandboxMaxInOneSecond: stats["maxInOneSecond"] as? Int ?? -1,
            sandboxMessages: stats["messages"] as? Int ?? -1, mostToOneRecipient: stats["mostToOneRecipient"] as? Int ?? -1)
    }

}
