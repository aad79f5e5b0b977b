import Foundation
import WamigrateBase
import WamigrateHTTP
import WamigratePostgres
import WamigrateStore

/// `bench-wave`: a store with N opted-in contacts on the whatsapp_ready list and an
/// approved template, a sandbox child, then `wave plan` and `wave send --rate R` as
/// children: messages per second against the cap, and the most the sandbox took in
/// any one second (never above the cap). With `postgres` (a server's URL) the job is a new
/// database there and `senders` processes send the wave together, each at its share of the cap.
public struct WaveBenchmark {
    public var contacts: Int
    public var rate: Double
    public var directory: String
    public var executable: String
    public var postgres: String?
    public var senders = 1

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
        public var engine = "sqlite"
        public var senders = 1
    }

    struct SendSummary: Decodable {
        var sent: Int
        var seconds: Double
        var perSecond: Double
    }

    public func run(progress: (String) -> Void) throws -> Figures {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (path, dropJob) = try seed()
        defer { dropJob() }
        let sandbox = try SandboxChild(executable: executable, arguments: ["--any-template"])
        _ = try ChildRun.measure(
            executable: executable,
            arguments: [
                "wave", "plan", "--store", path, "--name", "bench", "--template", "bench_template", "--language", "en",
                "--keep-backups", "0",
            ], what: "wave plan")
        progress("planned \(contacts) messages; \(senders) sender(s) at \(Int(rate))/s together to \(sandbox.url)")
        setenv("BENCH_TOKEN", "sandbox-token", 1)
        let arguments = [
            "wave", "send", "--store", path, "--name", "bench", "--endpoint", sandbox.url, "--phone-number-id", "1",
            "--token-env", "BENCH_TOKEN", "--rate", String(rate / Double(senders)), "--json", "--keep-backups", "0",
        ]
        let start = Date()
        let runs = try ChildRun.measureTogether(
            executable: executable, arguments: Array(repeating: arguments, count: senders), what: "wave send")
        let seconds = Date().timeIntervalSince(start)
        let sent = try runs.reduce(0) { $0 + (try JSONDecoder.output.decode(SendSummary.self, from: $1.stdout)).sent }
        let perSecond =
            senders == 1
            ? try JSONDecoder.output.decode(SendSummary.self, from: runs[0].stdout).perSecond
            : Double(sent) / seconds
        let response = try HTTPClient().send(HTTPRequest(url: sandbox.url + "/_sandbox/whatsapp"))
        let stats = (try JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
        var figures = Figures(
            contacts: contacts, cap: rate, sent: sent, seconds: seconds, perSecond: perSecond,
            shareOfCap: perSecond / rate, sandboxMaxInOneSecond: stats["maxInOneSecond"] as? Int ?? -1,
            sandboxMessages: stats["messages"] as? Int ?? -1, mostToOneRecipient: stats["mostToOneRecipient"] as? Int ?? -1)
        figures.engine = postgres == nil ? "sqlite" : "postgres"
        figures.senders = senders
        return figures
    }

    /// The seeded job's `--store` value, and what removes it afterwards.
    private func seed() throws -> (String, () -> Void) {
        guard let postgres else {
            let path = directory + "/wave-bench.sqlite"
            JobStore.removeFiles(at: path)
            try JobStore.seedWaveBench(path: path, contacts: contacts)
            return (path, {})
        }
        guard let server = PostgresAddress(postgres) else {
            throw WamigrateError(.usage, "--postgres is not a postgres:// URL", hint: "e.g. postgres://user@host:5432/postgres")
        }
        let name = "wamigrate_bench_wave"
        try? PostgresDatabases.drop(name, on: server)
        let job = try PostgresDatabases.create(name, on: server)
        try PostgresJobStore.seedWaveBench(job, contacts: contacts)
        return (job.url, { try? PostgresDatabases.drop(name, on: server) })
    }
}
