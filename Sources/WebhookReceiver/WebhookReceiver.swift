import Foundation
import Hummingbird
import Logging
import NIOCore
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// `webhook serve`: the Cloud API webhook endpoint. `GET` answers Meta's verification
/// (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge`); every `POST` is checked
/// against `X-Hub-Signature-256` on the raw bytes (bad or missing: 401, nothing kept),
/// appended raw to the store's spool and only then answered 200. A processor thread
/// takes the job store's writer lock for moments to move spooled bodies into the job
/// (statuses, registration, replies, marketing stops, template updates); when another
/// command holds the store, that command drains the spool itself. Binds loopback unless
/// told otherwise; on SIGINT/SIGTERM it stops taking posts, processes what it has, exits.
public struct WebhookReceiver: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 0
        public var store: String
        public var appSecret: Data
        public var verifyToken: String
        public var keywords: KeywordBook
        /// Seconds between processing passes.
        public var processEvery = 0.5
        /// The largest body taken (Meta batches up to 1,000 updates in one body).
        public var maxBody = 4 << 20

        public init(store: String, appSecret: Data, verifyToken: String, keywords: KeywordBook) {
            self.store = store
            self.appSecret = appSecret
            self.verifyToken = verifyToken
            self.keywords = keywords
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Serves until SIGINT/SIGTERM (with `handleSignals`) or cancellation; returns what was taken and processed.
    public func run(handleSignals: Bool, logger: Logger, onListening: @escaping @Sendable (Int) -> Void) async throws
        -> ReceiverSummary
    {
        let spool = try WebhookSpool(store: configuration.store)
        let counters = ReceiverCounters()
        let processor = Processor(configuration: configuration, logger: logger)
        processor.start()
        let router = Router()
        let configuration = self.configuration
        for path in ["/", "/webhook"] {
            router.get(RouterPath(path)) { request, _ -> Response in
                let query = request.uri.queryParameters
                guard query.get("hub.mode") == "subscribe", let challenge = query.get("hub.challenge"),
                    let token = query.get("hub.verify_token"),
                    WebhookSignature.equal(Data(token.utf8), Data(configuration.verifyToken.utf8))
                else {
                    counters.add(\.verificationsRefused)
                    return Response(status: .forbidden)
                }
                counters.add(\.verifications)
                return Response(
                    status: .ok, headers: [.contentType: "text/plain"],
                    body: .init(byteBuffer: ByteBuffer(string: challenge)))
            }
            router.post(RouterPath(path)) { request, _ -> Response in
                let body = Data(buffer: try await request.body.collect(upTo: configuration.maxBody))
                let header = request.headers[.init("X-Hub-Signature-256")!]
                guard WebhookSignature.isValid(body: body, header: header, secret: configuration.appSecret) else {
                    counters.add(\.refused)
                    return Response(status: .unauthorized)
                }
                do {
                    if try spool.append(body, at: Int64(Date().timeIntervalSince1970)) {
                        counters.add(\.stored)
                    } else {
                        counters.add(\.redeliveries)
                    }
                } catch {
                    counters.add(\.failed)
                    logger.error("webhook serve: could not keep a body (\(error)); answered 503 so it is sent again")
                    return Response(status: .serviceUnavailable)
                }
                processor.wake()
                return Response(status: .ok)
            }
        }
        let app = Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "wamigrate-webhook"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        if handleSignals {
            try await app.runService()
        } else {
            try await app.runService(gracefulShutdownSignals: [])
        }
        var summary = counters.snapshot()
        (summary.processing, summary.processingErrors) = processor.finish()
        return summary
    }
}

/// What the receiver took and did.
public struct ReceiverSummary: Codable, Sendable {
    public var stored = 0
    public var redeliveries = 0
    /// Posts refused with 401: bad or missing signature.
    public var refused = 0
    /// Posts answered 503 because the spool could not keep them (the sender retries).
    public var failed = 0
    public var verifications = 0
    public var verificationsRefused = 0
    public var processing = WebhookSummary()
    /// Processing passes skipped because the last one failed (the error is logged; the spool keeps everything).
    public var processingErrors = 0
}

final class ReceiverCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var summary = ReceiverSummary()

    func add(_ field: WritableKeyPath<ReceiverSummary, Int>) {
        lock.lock()
        summary[keyPath: field] += 1
        lock.unlock()
    }

    func snapshot() -> ReceiverSummary {
        lock.lock()
        defer { lock.unlock() }
        return summary
    }
}

/// Moves spooled bodies into the job store, on its own thread, holding the store's
/// writer lock only for one pass (other commands wait those moments out).
final class Processor: @unchecked Sendable {
    private let configuration: WebhookReceiver.Configuration
    private let logger: Logger
    private let condition = NSCondition()
    private var pending = false
    private var stopping = false
    private var done = false
    private var total = WebhookSummary()
    private var errors = 0

    init(configuration: WebhookReceiver.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "webhook-processor"
        thread.start()
    }

    func wake() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Stops the loop after a last pass; returns everything processed.
    func finish() -> (WebhookSummary, Int) {
        condition.lock()
        stopping = true
        pending = true
        condition.signal()
        while !done { condition.wait() }
        let summary = (total, errors)
        condition.unlock()
        return summary
    }

    private func loop() {
        while true {
            condition.lock()
            if !pending && !stopping { _ = condition.wait(until: Date().addingTimeInterval(configuration.processEvery)) }
            let last = stopping
            let work = pending || last
            pending = false
            condition.unlock()
            if work { pass(all: last) }
            if last {
                condition.lock()
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
            // Between passes, leave the store to other commands for a while.
            Thread.sleep(forTimeInterval: configuration.processEvery)
        }
    }

    private func pass(all: Bool) {
        do {
            let store = try JobStore(path: configuration.store, command: StoreLock.briefHolder)
            let ingest = WebhookIngest(keywords: configuration.keywords, now: Int64(Date().timeIntervalSince1970))
            let summary = try ingest.process(store: store, limit: all ? .max : 10_000)
            condition.lock()
            total.add(summary)
            if summary.processed >= 10_000 { pending = true }  // more left: another pass soon
            condition.unlock()
        } catch let error as WamigrateError where error.code == .storeBusy {
            // Another command writes the job store; it drains the spool itself.
        } catch {
            condition.lock()
            errors += 1
            condition.unlock()
            logger.error("webhook serve: processing failed (\(error)); the bodies stay in the spool for the next pass")
        }
    }
}
