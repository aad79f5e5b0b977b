import Foundation
import GRDB

/// What `campaign replies` did with a file.
public struct ReplySummary: Codable, Sendable {
    public var read = 0
    /// New inbound messages by class: opt_in, opt_out, help, other.
    public var messages: [String: Int] = [:]
    /// Already ingested (same channel and provider id): nothing appended.
    public var duplicates = 0
    /// From addresses that are no contact of this job (opt-outs are still recorded).
    public var unknownSenders = 0
    /// Replies that answer a campaign message.
    public var answeringCampaign = 0
    public var statusesApplied = 0
    public var statusesUnmatched = 0
    public var skippedOutbound = 0
    public var consentEventsAdded = 0
}

/// campaign replies: stores every inbound message once, classifies it by the
/// keyword book (whole message, case-insensitive), links it to the campaign
/// message it answers (Viber: by tracking_data; SMS: the last one sent to that
/// number before the reply) and appends opt-ins and opt-outs to the consent
/// ledger with the wording that was shown. Delivery statuses update the send log.
public struct ReplyIngest {
    public var keywords: KeywordBook
    /// The time recorded for replies whose source gives none (Unix seconds).
    public var now: Int64

    public init(keywords: KeywordBook, now: Int64) {
        self.keywords = keywords
        self.now = now
    }

    public func ingest(_ parsed: InboundFile.Parsed, store: JobStore) throws -> ReplySummary {
        var summary = ReplySummary()
        summary.read = parsed.events.count
        summary.skippedOutbound = parsed.skippedOutbound
        try store.write { db in
            for event in parsed.events {
                switch event.kind {
                case .status(let status):
                    try db.execute(
                        sql: "UPDATE campaign_messages SET delivery = ? WHERE provider_id = ? AND channel = ?",
                        arguments: [status, event.providerID, event.channel])
                    if db.changesCount > 0 { summary.statusesApplied += 1 } else { summary.statusesUnmatched += 1 }
                case .unsubscribed:
                    guard let address = event.address else { continue }
                    var optOut = ConsentEvent(
                        address: address, contactID: try contactID(db, address: address), channel: "viber", kind: .optOut,
                        at: event.at ?? now, recordedAt: now, method: .viberUnsubscribed, ref: "viber:\(event.providerID)")
                    optOut.evidence = "viber unsubscribed webhook (\(event.origin))"
                    if try optOut.append(db) { summary.consentEventsAdded += 1 }
                case .message(let body):
                    try message(db, event: event, body: body, summary: &summary)
                }
            }
        }
        return summary
    }

    private func message(_ db: Database, event: InboundEvent, body: String, summary: inout ReplySummary) throws {
        guard let address = event.address else { return }
        let contact = try contactID(db, address: address)
        if contact == nil { summary.unknownSenders += 1 }
        let answered = try answeredMessage(db, contact: contact, event: event)
        let (kind, keyword) = keywords.classify(body)
        let at = event.at ?? now
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO inbound_messages (channel, provider_id, address, contact_id, received_at, body, class,
                  keyword, campaign, message_id, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                event.channel, event.providerID, address, contact, at, body, kind.rawValue, keyword, answered?["campaign"],
                answered?["id"], event.origin,
            ])
        guard db.changesCount > 0 else {
            summary.duplicates += 1
            return
        }
        summary.messages[kind.rawValue, default: 0] += 1
        if answered != nil { summary.answeringCampaign += 1 }
        guard kind == .optIn || kind == .optOut else { return }
        var consent = ConsentEvent(
            address: address, contactID: contact, channel: event.channel, kind: kind == .optIn ? .optIn : .optOut, at: at,
            recordedAt: now, method: answered == nil ? .keywordReply : .campaignReply, ref: "\(event.channel):\(event.providerID)"
        )
        consent.keyword = keyword
        var evidence = "inbound \(event.channel) message \(event.providerID) (\(event.origin))"
        if let answered {
            consent.wording = answered["text"]
            consent.wordingVersion = answered["version"]
            consent.campaign = answered["campaign"]
            evidence += "; answers \(answered["provider_id"] as String? ?? answered["idempotency_key"] as String? ?? "?")"
        }
        consent.evidence = evidence
        if try consent.append(db) { summary.consentEventsAdded += 1 }
    }

    private func contactID(_ db: Database, address: String) throws -> String? {
        if address.hasPrefix("viber:") {
            return try String.fetchOne(
                db, sql: "SELECT id FROM contacts WHERE viber_id = ? LIMIT 1", arguments: [String(address.dropFirst(6))])
        }
        return try String.fetchOne(db, sql: "SELECT id FROM contacts WHERE e164 = ?", arguments: [address])
    }

    /// The campaign message this reply answers: Viber's tracking_data names it;
    /// otherwise the last one sent to this contact on this channel (provider
    /// clocks and ours differ, so the reply's own time is not compared).
    private func answeredMessage(_ db: Database, contact: String?, event: InboundEvent) throws -> Row? {
        let select = """
            SELECT m.id, m.campaign, m.provider_id, m.idempotency_key, t.text, t.version FROM campaign_messages m
            JOIN campaign_texts t ON t.id = m.text_id
            """
        if let key = event.tracking,
            let row = try Row.fetchOne(
                db, sql: "\(select) WHERE m.idempotency_key = ? AND m.state = ?", arguments: [key, MessageState.sent])
        {
            return row
        }
        guard let contact else { return nil }
        return try Row.fetchOne(
            db,
            sql: """
                \(select) WHERE m.contact_id = ? AND m.channel = ? AND m.state = ?
                ORDER BY m.sent_at DESC, m.id DESC LIMIT 1
                """, arguments: [contact, event.channel, MessageState.sent])
    }
}
