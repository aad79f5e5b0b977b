import Foundation
import WamigrateBase
import WamigrateModel

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
    /// Bodies the receiver (`webhook serve`) had spooled, moved into the job's inbox.
    public var fromReceiver = 0
    /// Bodies processed in this call (new to the job, or left unprocessed by a crash).
    public var processed = 0
    /// Template review and category updates that changed a template record.
    public var templateUpdates = 0
    /// Signed bodies that are no webhook JSON: kept raw in the inbox, processed as nothing.
    public var unreadable = 0
    /// Business-scoped user ids seen (with their number or alone), and identity changes.
    public var identities = 0
    public var identityChanges = 0
    /// Messaging limits the platform announced (`business_capability_update`, `phone_number_quality_update`).
    public var limitUpdates = 0

    public init() {}

    public mutating func add(_ other: WebhookSummary) {
        fromReceiver += other.fromReceiver
        processed += other.processed
        registration.statuses += other.registration.statuses
        registration.onWhatsApp += other.registration.onWhatsApp
        registration.notOnWhatsApp += other.registration.notOnWhatsApp
        registration.unmatched += other.registration.unmatched
        registration.noChange.merge(other.registration.noChange, uniquingKeysWith: +)
        replies.add(other.replies)
        marketingStops += other.marketingStops
        marketingResumes += other.marketingResumes
        templateUpdates += other.templateUpdates
        unreadable += other.unreadable
        identities += other.identities
        identityChanges += other.identityChanges
        limitUpdates += other.limitUpdates
    }
}

/// Cloud API webhook bodies → the job: each body is stored raw in the inbox first;
/// then each body not yet processed is processed once: its statuses are kept per
/// (message, status, time) and move wave messages; the recipients they name get
/// their registration re-derived from all of their statuses (they arrive out of
/// order and duplicated), as the delivery-report verifier decides; messages and
/// marketing preferences reach the consent ledger; template updates reach the
/// template records. Every step is idempotent, so a crash mid-way and a re-run
/// change nothing twice.
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

    public func ingest(_ bodies: [Body], store: any WebhookIngestStore) throws -> WebhookSummary {
        var summary = WebhookSummary()
        summary.read = bodies.count
        for body in bodies {
            if try store.appendWebhook(body.data, origin: body.origin, signature: body.signature, at: now) != nil {
                summary.stored += 1
            } else {
                summary.redeliveries += 1
            }
        }
        summary.add(try process(store: store))
        return summary
    }

    /// Drains the receiver's spool into the inbox, then processes unprocessed bodies (at most
    /// `limit`: the receiver keeps its passes short, so commands waiting for the store get it).
    public func process(store: any WebhookIngestStore, chunk: Int = 2000, limit: Int = .max) throws -> WebhookSummary {
        try store.processingWebhooksAlone {
            var summary = WebhookSummary()
            summary.fromReceiver = try store.drainSpool()
            while summary.processed < limit {
                let fresh = try store.unprocessedWebhooks(limit: chunk)
                if fresh.isEmpty { break }
                try process(fresh, store: store, summary: &summary)
                summary.processed += fresh.count
            }
            return summary
        }
    }

    private func process(_ fresh: [InboxBody], store: any WebhookIngestStore, summary: inout WebhookSummary) throws {
        var statuses: [(inboxID: Int64, status: StatusRecord)] = []
        var parsed = InboundFile.Parsed()
        var preferences: [ConsentEvent] = []
        var templates: [WebhookPayload.TemplateUpdate] = []
        var identities: [UserIdentity] = []
        var changes: [IdentityChange] = []
        var limits: [PlatformLimit] = []
        for body in fresh {
            // A body that is no JSON (signed, so kept) must not stop the bodies after it.
            let text = String(decoding: body.body, as: UTF8.self)
            guard
                let found = try? DeliveryStatus.parse(
                    line: Substring(text), number: 0, file: body.origin, webhook: true, receivedAt: body.receivedAt),
                let read = try? WebhookPayload.read(body.body, origin: body.origin, recordedAt: now)
            else {
                summary.unreadable += 1
                continue
            }
            for status in found {
                if let record = status.record { statuses.append((body.id, record)) }
            }
            parsed.events += read.messages
            preferences += read.preferences
            templates += read.templates
            identities += read.identities
            changes += read.changes
            limits += read.limits
        }
        // Identities first: a BSUID-only STOP in the same batch finds its contact through them.
        try store.recordIdentities(identities, changes: changes)
        try store.recordPlatformLimits(limits)
        summary.limitUpdates += limits.count
        summary.identities += identities.count
        summary.identityChanges += changes.count
        // A status with only the BSUID moves its message; registration needs the number.
        let touched = try store.recordStatuses(statuses).filter { !$0.isEmpty }
        let history = try store.statuses(recipients: touched).map(DeliveryStatus.init)
        summary.registration.statuses += statuses.count
        try DeliveryReportIngest.apply(
            history, to: store, verifier: "webhook", bulk: false, summary: &summary.registration)
        summary.replies.add(try ReplyIngest(keywords: keywords, now: now).ingest(parsed, store: store))
        try store.recordReplies { ledger in
            for var event in preferences {
                event.contactID = try ledger.contactID(address: event.address)
                guard try ledger.append(event) else { continue }
                if event.kind == .optOut { summary.marketingStops += 1 } else { summary.marketingResumes += 1 }
            }
        }
        for update in templates {
            if try store.applyTemplateUpdate(
                templateID: update.templateID, name: update.name, language: update.language, status: update.status,
                category: update.category, reason: update.reason, quality: update.quality, at: update.at)
            {
                summary.templateUpdates += 1
            }
        }
        try store.markWebhooksProcessed(fresh.map(\.id), at: now)
    }
}
