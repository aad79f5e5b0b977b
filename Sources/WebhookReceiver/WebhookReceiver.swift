import Foundation
import HTTPServing
import Hummingbird
import Logging
import NIOCore
import WamigrateBase
import WamigrateCore
import WamigrateModel

/// `webhook serve`: the Cloud API webhook endpoint. `GET` answers Meta's verification
/// (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge`); every `POST` is checked
/// against `X-Hub-Signature-256` on the raw bytes (bad or missing: 401, nothing kept),
/// appended raw to the store's spool and only then answered 200. A processor thread
/// takes the job store's writer lock for moments to move spooled bodies into the job
/// (statuses, registration, replies, marketing stops, template updates); when another
/// command holds the store, that command drains the spool itself. Bodies are kept as the
/// bytes received. Idle connections and stalled headers are closed (`ServerPolicy`), open
/// connections are capped, and a body over the cap gets 413 and a closed connection.
/// Binds loopback unless told otherwise; on SIGINT/SIGTERM it stops taking posts,
/// processes what it has, exits.
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
        /// Idle and header timeouts, the connection cap.
        public var policy = ServerPolicy()
        /// Opens the job store for a processing pass (the engine is the caller's choice).
        public var openStore: @Sendable (_ path: String, _ command: String) throws -> any JobStoring
        /// Opens the spool the receiver appends to.
        public var openSpool: @Sendable (_ store: String) throws -> any WebhookSpooling

        public init(
            store: String, appSecret: Data, verifyToken: String, keywords: KeywordBook,
            openStore: @escaping @Sendable (_ path: String, _ command: String) throws -> any JobStoring,
            openSpool: @escaping @Sendable (_ store: String) throws -> any WebhookSpooling
        ) {
            self.store = store
            self.appSecret = appSecret
            self.verifyToken = verifyToken
            self.keywords = keywords
            self.openStore = openStore
            self.openSpool = openSpool
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
        let spool = try configuration.openSpool(configuration.store)
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
                let body: Data
                do {
                    body = Data(buffer: try await request.body.collect(upTo: configuration.maxBody))
                } catch let error as HTTPError where error.status == .contentTooLarge {
                    counters.add(\.refused)
                    return ServerPolicy.refuse(.contentTooLarge)  // and close: the rest is never read
                }
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
        try await configuration.policy.serve(
            router: router, host: configuration.host, port: configuration.port, name: "wamigrate-webhook",
            handleSignals: handleSignals, logger: logger, onListening: onListening)
        var summary = counters.snapshot()
        (summary.processing, summary.processingErrors) = processor.finish()
        return summary
    }
}
