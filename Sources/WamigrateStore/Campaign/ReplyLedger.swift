import GRDB
import WamigrateBase

/// Reply and status ingestion's reads and writes, inside one transaction
/// (`JobStore.recordReplies`): delivery statuses onto sent messages, inbound
/// messages (once each), and the consent events they carry.
struct SQLiteReplyLedger: ReplyLedger {
    private let db: Database

    init(_ db: Database) { self.db = db }

    /// A provider's delivery status onto the message it sent; false when no message matches.
    public func applyDelivery(_ status: ReceiptStatus, providerID: String, channel: Channel) throws -> Bool {
        try db.execute(
            sql: "UPDATE campaign_messages SET delivery = ? WHERE provider_id = ? AND channel = ?",
            arguments: [status, providerID, channel])
        return db.changesCount > 0
    }

    /// The job's contact for an address (`+E164` or `viber:<id>`), if any.
    public func contactID(address: String) throws -> String? {
        if address.hasPrefix("bsuid:") {
            // A user whose number the webhook left out: the number their BSUID was seen with.
            guard let digits = try JobStore.number(forUserID: String(address.dropFirst(6)), db) else { return nil }
            return try String.fetchOne(
                db,
                sql: """
                    SELECT id FROM contacts WHERE e164 = ?1
                      OR e164 = (SELECT e164 FROM registrations WHERE wa_id = ?2 LIMIT 1) LIMIT 1
                    """, arguments: ["+" + digits, digits])
        }
        if address.hasPrefix("viber:") {
            return try String.fetchOne(
                db, sql: "SELECT id FROM contacts WHERE viber_id = ? LIMIT 1", arguments: [String(address.dropFirst(6))])
        }
        return try String.fetchOne(db, sql: "SELECT id FROM contacts WHERE e164 = ?", arguments: [address])
    }

    /// The campaign message a reply answers: the one `tracking` names (Viber's
    /// tracking_data), else the last one sent to this contact on this channel
    /// (provider clocks and ours differ, so the reply's own time is not compared).
    public func answeredMessage(contact: String?, channel: Channel, tracking: String?) throws -> AnsweredMessage? {
        let select = """
            SELECT m.id, m.campaign, m.provider_id, m.idempotency_key, t.text, t.version FROM campaign_messages m
            JOIN campaign_texts t ON t.id = m.text_id
            """
        var row: Row?
        if let tracking {
            row = try Row.fetchOne(
                db, sql: "\(select) WHERE m.idempotency_key = ? AND m.state = ?", arguments: [tracking, MessageState.sent])
        }
        if row == nil, let contact {
            row = try Row.fetchOne(
                db,
                sql: """
                    \(select) WHERE m.contact_id = ? AND m.channel = ? AND m.state = ?
                    ORDER BY m.sent_at DESC, m.id DESC LIMIT 1
                    """, arguments: [contact, channel, MessageState.sent])
        }
        return row.map {
            AnsweredMessage(
                id: $0["id"], campaign: $0["campaign"], providerID: $0["provider_id"], idempotencyKey: $0["idempotency_key"],
                text: $0["text"], version: $0["version"])
        }
    }

    /// Stores an inbound message unless the same one (channel, provider id) is there; true when new.
    /// Stores an inbound message once: `key` is what makes it the same message (sender,
    /// id, time, body). A message stored before keys existed (`id:<provider id>`, same
    /// sender and body) counts as the same. True when new.
    public func recordInbound(
        channel: Channel, providerID: String, key: String, address: String, contact: String?, at time: Int64, body: String,
        kind: String, keyword: String?, answered: AnsweredMessage?, origin: String, button: Bool
    ) throws -> Bool {
        let stored =
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM inbound_messages WHERE channel = ? AND message_key = ? AND address = ? AND body = ?)
                    """, arguments: [channel, "id:" + providerID, address, body]) ?? false
        if stored { return false }
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO inbound_messages (channel, provider_id, message_key, address, contact_id, received_at,
                  body, class, keyword, campaign, message_id, origin, button) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                channel, providerID, key, address, contact, time, body, kind, keyword, answered?.campaign, answered?.id,
                origin, button,
            ])
        return db.changesCount > 0
    }

    /// Appends a consent event to the ledger (once per evidence); true when new.
    public func append(_ event: ConsentEvent) throws -> Bool { try event.append(db) }
}

extension JobStore {
    public func recordReplies<T>(_ body: (any ReplyLedger) throws -> T) throws -> T {
        try write { db in try body(SQLiteReplyLedger(db)) }
    }
}
