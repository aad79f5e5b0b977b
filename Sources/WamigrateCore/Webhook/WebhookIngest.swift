import Foundation
import WamigrateBase
import WamigrateStore

/// What a webhook ingest did.
public struct WebhookSummary: Codable, Sendable {
    /// Bodies read, stored new in the inbox, and seen before (same bytes: a redelivery or a replay).
    public var read = 0
    public var stored = 0
    public var redeliveries = 0
    /// Registration re-derived from the statuses of every body in the inbox.
    public var registration = DeliveryReportSummary()
    /// Inbound messages and button replies, through the keyword book into the ledger.
    public var replies = ReplySummary()
    /// `user_preferences` marketing stops and resumes appended to the ledger.
    public var marketingStops = 0
    public var marketingResumes = 0
}

/// Cloud API webhook bodies → the job: each body is stored raw in the inbox first;
/// then statuses (from every body kept, since they arrive out of order and
/// duplicated) decide registration as the delivery-report verifier does, and the
/// new bodies' messages and marketing preferences reach the consent ledger.
/// Running it again on the same bodies changes nothing.
public struct WebhookIngest {
    public var keywords: KeywordBook
    public var now: Int64

    public init(keywords: KeywordBook, now: Int64) {
        self.keywords = keywords
        self.now = now
    }

    /// A body and where it came from (`file:line`, or `serve`).
    public struct Body: Sendable {
        public var data: Data
        public var origin: String
        public var signature: String

        public init(data: Data, origin: String, signature: String) {
            self.data = data
            self.origin = origin
            self.signature = signature
        }
    }

    /// Reads a JSON Lines file of saved bodies (one raw body per line), checking every
    /// line before anything is stored.
    public static func read(path: String) throws -> [Body] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WamigrateError(.inputMissing, "webhook file not found", hint: "check the path", at: .init(file: path))
        }
        var bodies: [Body] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let trimmed = String(decoding: line, as: UTF8.self).trimmedASCII
            guard !trimmed.isEmpty else { continue }
            let at = WamigrateError.Location(file: path, line: index + 1, column: 1)
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any],
                object["entry"] is [Any]
            else {
                throw WamigrateError(
                    .inputJSON, "line is not a webhook body",
                    hint: "each line must be one Cloud API webhook body as received ({\"object\":…,\"entry\":[…]})", at: at)
            }
            bodies.append(
                Body(
                    data: Data(trimmed.utf8), origin: "\((path as NSString).lastPathComponent):\(index + 1)",
                    signature: "replayed"))
        }
        return bodies
    }

    public func ingest(_ bodies: [Body], store: JobStore) throws -> WebhookSummary {
        var summary = WebhookSummary()
        summary.read = bodies.count
        for body in bodies {
            if try store.appendWebhook(body.data, origin: body.origin, signature: body.signature, at: now) != nil {
                summary.stored += 1
            } else {
                summary.redeliveries += 1
            }
        }
        let inbox = try store.webhookBodies()
        var statuses: [DeliveryStatus] = []
        for (index, body) in inbox.enumerated() {
            statuses += try DeliveryStatus.parse(
                line: Substring(String(decoding: body.body, as: UTF8.self)), number: index + 1, file: body.origin)
        }
        summary.registration.statuses = statuses.count
        try DeliveryReportIngest.apply(statuses, to: store, verifier: "webhook", summary: &summary.registration)

        let fresh = inbox.filter { !$0.processed }
        var parsed = InboundFile.Parsed()
        var preferences: [ConsentEvent] = []
        for body in fresh {
            let read = try WebhookPayload.read(body.body, origin: body.origin, recordedAt: now)
            parsed.events += read.messages
            preferences += read.preferences
        }
        summary.replies = try ReplyIngest(keywords: keywords, now: now).ingest(parsed, store: store)
        try store.recordReplies { ledger in
            for var event in preferences {
                event.contactID = try ledger.contactID(address: event.address)
                guard try ledger.append(event) else { continue }
                if event.kind == .optOut { summary.marketingStops += 1 } else { summary.marketingResumes += 1 }
            }
        }
        try store.markWebhooksProcessed(fresh.map(\.id), at: now)
        return summary
    }
}
