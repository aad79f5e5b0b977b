import Foundation
import WamigrateBase
import WamigrateHTTP
import WamigrateStore

/// The load's shared counters (client threads take work and record answers here).
final class LoadCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var latencies: [Double] = []
    private var accepted = 0
    private var refused = 0
    private var other = 0

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
    }

    func record(_ milliseconds: Double, ok: Bool, genuine: Bool) {
        lock.lock()
        defer { lock.unlock() }
        latencies.append(milliseconds)
        if ok && genuine {
            accepted += 1
        } else if ok {
            refused += 1
        } else {
            other += 1
        }
    }

    func totals() -> ([Double], Int, Int, Int) {
        lock.lock()
        defer { lock.unlock() }
        return (latencies, accepted, refused, other)
    }
}

/// `bench-webhooks`: `webhook serve` as a child on loopback, posted signed status
/// bodies at a fixed rate from several client threads for a while (plus a share of
/// forged ones): accepted per second, latency percentiles, and the count that
/// matters: every genuine body posted is in the job's inbox after the receiver stops.
public struct WebhookBenchmark {
    public var rate: Double
    public var seconds: Double
    public var clients: Int
    public var forgedShare: Double
    public var directory: String
    public var executable: String

    public init(rate: Double, seconds: Double, clients: Int, forgedShare: Double, directory: String, executable: String) {
        self.rate = rate
        self.seconds = seconds
        self.clients = clients
        self.forgedShare = forgedShare
        self.directory = directory
        self.executable = executable
    }

    public struct Figures: Codable, Sendable {
        public var targetPerSecond: Double
        public var posted: Int
        public var accepted: Int
        public var refusedForged: Int
        public var otherAnswers: Int
        public var seconds: Double
        public var acceptedPerSecond: Double
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var maxMilliseconds: Double
        public var over5Seconds: Int
        public var spooled: Int
        public var inInbox: Int
        public var statusesKept: Int
        public var lost: Int
        public var stopSeconds: Double
    }

    public func run(progress: (String) -> Void) throws -> Figures {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/webhook-bench.sqlite"
        for suffix in ["", "-wal", "-shm", ".webhooks.sqlite", ".webhooks.sqlite-wal", ".webhooks.sqlite-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
        _ = try JobStore(path: path, command: "bench-webhooks")
        let secret = "bench-secret"
        let receiver = try SandboxChild(
            executable: executable, command: ["webhook", "serve"],
            arguments: ["--store", path, "--app-secret-env", "BENCH_SECRET", "--verify-token-env", "BENCH_SECRET"],
            environment: ["BENCH_SECRET": secret])
        let total = Int(rate * seconds)
        progress("posting \(total) bodies at \(Int(rate))/s from \(clients) clients to \(receiver.url)")
        let key = Data(secret.utf8)
        var built: [(body: Data, signature: String, genuine: Bool)] = []
        built.reserveCapacity(total)
        let base = Int64(Date().timeIntervalSince1970)
        for index in 0..<total {
            let body = Data(
                (#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"#
                    + #""messaging_product":"whatsapp","metadata":{"phone_number_id":"1234"},"statuses":[{"#
                    + #""id":"wamid.BENCH\#(index)","status":"delivered","timestamp":"\#(base)","#
                    + #""recipient_id":"4915\#(String(format: "%09d", index))"}]}}]}]}"#).utf8)
            let forged = Double(index % 1000) < forgedShare * 1000
            let signature =
                forged ? "sha256=" + String(repeating: "0", count: 64) : WebhookSignature.header(body: body, secret: key)
            built.append((body, signature, !forged))
        }
        let posts = built
        let genuine = posts.filter(\.genuine).count
        let pacer = RatePacer(perSecond: rate)
        let http = HTTPClient()
        let load = LoadCounts()
        let url = receiver.url
        let started = Date()
        let group = DispatchGroup()
        for _ in 0..<clients {
            group.enter()
            Thread {
                defer { group.leave() }
                while true {
                    let index = load.take()
                    guard index < total else { return }
                    pacer.acquire(cost: 1)
                    let post = posts[index]
                    let sent = DispatchTime.now().uptimeNanoseconds
                    let status =
                        (try? http.send(
                            HTTPRequest(
                                url: url,
                                headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", post.signature)],
                                body: post.body)
                        ).status) ?? 0
                    let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e6
                    load.record(milliseconds, ok: post.genuine ? status == 200 : status == 401, genuine: post.genuine)
                }
            }.start()
        }
        group.wait()
        let elapsed = Date().timeIntervalSince(started)
        progress("posted in \(String(format: "%.1f", elapsed)) s; stopping the receiver (its last pass)")
        let stopStart = Date()
        _ = receiver.output()
        let stopSeconds = Date().timeIntervalSince(stopStart)
        let (spooled, inbox, statuses) = try JobStore.webhookCounts(store: path)
        let (latencies, accepted, refused, other) = load.totals()
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        return Figures(
            targetPerSecond: rate, posted: total, accepted: accepted, refusedForged: refused, otherAnswers: other,
            seconds: elapsed, acceptedPerSecond: Double(accepted) / elapsed, p50Milliseconds: percentile(0.5),
            p99Milliseconds: percentile(0.99), maxMilliseconds: sorted.last ?? 0,
            over5Seconds: sorted.filter { $0 > 5000 }.count, spooled: spooled, inInbox: inbox, statusesKept: statuses,
            lost: genuine - inbox, stopSeconds: stopSeconds)
    }
}
