import Foundation
import WamigrateModel

/// Reply and status ingestion's reads and writes on PostgreSQL, inside one transaction
/// (`PostgresJobStore.recordReplies`): delivery statuses onto sent messages, inbound messages
/// (once each, by their key's unique constraint, however many writers run), and the consent
/// events they carry. The SQLite store's `SQLiteReplyLedger`.
struct PostgresReplyLedger: ReplyLedger {
    private let store: PostgresJobStore
    private var connection: PostgresConnection { store.connection }

    init(_ store: PostgresJobStore) { self.store = store }

    /// A provider's delivery status onto the message it sent; false when no message matches.
    func applyDelivery(_ status: ReceiptStatus, providerID: String, channel: Channel) throws -> Bool {
        try connection.execute(
            "UPDATE campaign_messages SET delivery = $1 WHERE provider_id = $2 AND channel = $3",
            [status.rawValue, providerID, channel]
        ).changes > 0
    }

    /// The job's contact for an address (`+E164`, `viber:<id>` or `bsuid:<id>`), if any.
    func contactID(address: String) throws -> String? {
        if address.hasPrefix("bsuid:") {
            // A user whose number the webhook left out: the number their BSUID was seen with
            // (or the contact registered under it as wa_id); of the two, the first by number.
            guard let digits = try store.number(forUserID: String(address.dropFirst(6))) else { return nil }
            return try connection.execute(
                """
                SELECT id FROM contacts WHERE e164 = $1
                  OR e164 = (SELECT e164 FROM registrations WHERE wa_id = $2 ORDER BY e164 COLLATE "C" LIMIT 1)
                ORDER BY e164 COLLATE "C" LIMIT 1
                """, ["+" + digits, digits]
            ).scalarString
        }
        if address.hasPrefix("viber:") {
            return try connection.execute(
                "SELECT id FROM contacts WHERE viber_id = $1 ORDER BY seq LIMIT 1", [String(address.dropFirst(6))]
            ).scalarString
        }
        return try connection.execute("SELECT id FROM contacts WHERE e164 = $1 ORDER BY seq LIMIT 1", [address])
            .scalarString
    }

    /// The campaign message a reply answers: the one `tracking` names (Viber's tracking_data),
    /// else the last one sent to this contact on this channel (provider clocks and ours differ,
    /// so the reply's own time is not compared).
    func answeredMessage(contact: String?, channel: Channel, tracking: String?) throws -> AnsweredMessage? {
        let select = """
            SELECT m.id, m.campaign, m.provider_id, m.idempotency_key, t.text, t.version FROM campaign_messages m
            JOIN campaign_texts t ON t.id = m.text_id
            """
        let sent = MessageState.sent.rawValue
        var rows: PostgresRows?
        if let tracking {
            rows = try connection.execute(
                "\(select) WHERE m.idempotency_key = $1 AND m.state = $2 ORDER BY m.id LIMIT 1", [tracking, sent])
        }
        if (rows?.count ?? 0) == 0, let contact {
            rows = try connection.execute(
                """
                \(select) WHERE m.contact_id = $1 AND m.channel = $2 AND m.state = $3
                ORDER BY m.sent_at DESC NULLS LAST, m.id DESC LIMIT 1
                """, [contact, channel, sent])
        }
        guard let rows, rows.count == 1, let id = rows.int64(0, rows.column("id")) else { return nil }
        func text(_ name: String) -> String? { rows.string(0, rows.column(name)) }
        return AnsweredMessage(
            id: id, campaign: text("campaign"), providerID: text("provider_id"), idempotencyKey: text("idempotency_key"),
            text: text("text"), version: text("version"))
    }

    /// Stores an inbound message once: `key` is what makes it the same message (sender, id,
    /// time, body). A message stored before keys existed (`id:<provider id>`, same sender and
    /// body) counts as the same. True when new.
    func recordInbound(
        channel: Channel, providerID: String, key: String, address: String, contact: String?, at time: Int64, body: String,
        kind: String, keyword: String?, answered: AnsweredMessage?, origin: String, button: Bool
    ) throws -> Bool {
        let stored = try connection.execute(
            "SELECT 1 FROM inbound_messages WHERE channel = $1 AND message_key = $2 AND address = $3 AND body = $4 LIMIT 1",
            [channel, "id:" + providerID, address, body])
        if stored.count > 0 { return false }
        return try connection.execute(
            """
            INSERT INTO inbound_messages (channel, provider_id, message_key, address, contact_id, received_at, body, class,
              keyword, campaign, message_id, origin, button) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT DO NOTHING
            """,
            [
                channel, providerID, key, address, contact, time, body, kind, keyword, answered?.campaign, answered?.id,
                origin, button,
            ]
        ).changes > 0
    }

    /// Appends a consent event to the ledger (once per evidence); true when new.
    func append(_ event: ConsentEvent) throws -> Bool { try store.appendConsentEvent(event) }
}
