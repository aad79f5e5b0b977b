import Foundation
import WamigrateBase
import WamigrateHTTP

/// Posts signed Cloud API status webhooks for the messages the sandbox accepted, the
/// way Meta's delivery looks to a receiver: each status after its own delay (so "read"
/// can come before "delivered"), some posted twice, some preceded by a forged post
/// with a bad signature, retried with backoff until the receiver answers 200. Which
/// statuses, delays, duplicates and forgeries a message gets is decided by the seed
/// and the message's sequence number.
final class WebhookEmitter: @unchecked Sendable {
    private struct Post {
        var due: Date
        var body: Data
        var signature: String
        var genuine: Bool
        var attempts = 0
    }

    private let url: String
    private let secret: Data
    private let configuration: SandboxConfiguration
    private let http: HTTPClient
    private let condition = NSCondition()
    private var queue: [Post] = []
    private var stopped = false
    private var counts = EmitterStats()

    init(url: String, configuration: SandboxConfiguration) {
        self.url = url
        self.secret = Data(configuration.appSecret.utf8)
        self.configuration = configuration
        var http = HTTPClient.Configuration()
        http.timeout = 5
        self.http = HTTPClient(configuration: http)
        let thread = Thread { [weak self] in self?.loop() }
        thread.name = "webhook-emitter"
        thread.start()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    var stats: EmitterStats {
        condition.lock()
        defer { condition.unlock() }
        var copy = counts
        copy.pending = queue.count
        return copy
    }

    /// Queues the message's statuses (`StatusWebhook` builds the bodies); whether it is read
    /// is drawn from the seed and the message's sequence number, or, for a template with its
    /// own behaviour, from the seed, the template and the person, so a rehearsal repeats
    /// exactly in whatever order its messages go out.
    func schedule(
        _ message: StatusWebhook.Message, to recipient: StatusWebhook.Recipient, _ outcome: StatusWebhook.Outcome,
        sequence: UInt64, person: String
    ) {
        let seed = configuration.seed
        let behaviour = configuration.templateBehaviour[message.template]
        let draw = message.template + "|" + person
        let read =
            behaviour?.read.map { Mix.unit(seed &+ 0x5EAD, draw) < $0 }
            ?? (Mix.unit(seed &+ 0x5EAD, sequence) < configuration.readRate)
        let now = Int64(Date().timeIntervalSince1970)
        var bodies = StatusWebhook.bodies(message, to: recipient, outcome, read: read, at: now)
        if case .delivered = outcome, let behaviour, Mix.unit(seed &+ 0x570B, draw) < behaviour.stop {
            let id = "wamid.SBXSTOP" + String(Mix.hash(seed ^ 0x570B, sequence), radix: 16).uppercased()
            bodies.append(StatusWebhook.reply(message, from: recipient, text: "STOP", id: id, at: now + 3))
        }
        if case .delivered = outcome, let behaviour, Mix.unit(seed &+ 0xC11C, draw) < behaviour.click {
            let id = "wamid.SBXBTN" + String(Mix.hash(seed ^ 0xC11C, sequence), radix: 16).uppercased()
            bodies.append(StatusWebhook.reply(message, from: recipient, text: "Mehr erfahren", id: id, at: now + 2, button: true))
        }
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        for (index, body) in bodies.enumerated() {
            let salt = sequence &* 8 &+ UInt64(index)
            let delay = Mix.unit(seed &+ 0xDE1A, salt) * configuration.webhookMaxDelay
            let due = Date().addingTimeInterval(delay)
            let signature = WebhookSignature.header(body: body, secret: secret)
            if Mix.unit(seed &+ 0xBAD, salt) < configuration.webhookBadSignatureRate {
                let forged = "sha256=" + String(repeating: "0", count: 64)
                queue.append(Post(due: due, body: body, signature: forged, genuine: false))
            }
            queue.append(Post(due: due, body: body, signature: signature, genuine: true))
            counts.statuses += 1
            if Mix.unit(seed &+ 0xD0B, salt) < configuration.webhookDuplicateRate {
                queue.append(
                    Post(
                        due: due.addingTimeInterval(configuration.webhookMaxDelay / 2), body: body, signature: signature,
                        genuine: true))
                counts.duplicates += 1
            }
        }
    }

    private func loop() {
        while true {
            condition.lock()
            var post: Post?
            while post == nil {
                if stopped {
                    condition.unlock()
                    return
                }
                let now = Date()
                if let index = queue.indices.min(by: { queue[$0].due < queue[$1].due }) {
                    if queue[index].due <= now {
                        post = queue.remove(at: index)
                    } else {
                        _ = condition.wait(until: queue[index].due)
                    }
                } else {
                    condition.wait()
                }
            }
            condition.unlock()
            guard var next = post else { continue }
            let status = deliver(next)
            condition.lock()
            if next.genuine {
                if status == 200 {
                    counts.accepted += 1
                } else if next.attempts < 8 {
                    // Meta retries failed deliveries; so does the sandbox, with backoff.
                    next.attempts += 1
                    next.due = Date().addingTimeInterval(min(5, 0.1 * pow(2, Double(next.attempts))))
                    queue.append(next)
                    counts.retried += 1
                } else {
                    counts.abandoned += 1
                }
            } else {
                if status == 401 { counts.forgedRefused += 1 } else { counts.forgedAccepted += 1 }
            }
            condition.unlock()
        }
    }

    private func deliver(_ post: Post) -> Int {
        let request = HTTPRequest(
            url: url,
            headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", post.signature)], body: post.body)
        return (try? http.send(request).status) ?? 0
    }
}

/// The emitter's counts, in `GET /_sandbox/stats` (`webhooks`).
public struct EmitterStats: Codable, Sendable {
    /// Distinct statuses scheduled, and extra copies of them (redeliveries).
    public var statuses = 0
    public var duplicates = 0
    /// Genuine posts answered 200, retried after a failure, and given up on.
    public var accepted = 0
    public var retried = 0
    public var abandoned = 0
    /// Forged posts (bad signature) the receiver refused with 401, or took.
    public var forgedRefused = 0
    public var forgedAccepted = 0
    public var pending = 0
}
