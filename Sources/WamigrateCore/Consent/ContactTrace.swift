import Foundation
import GRDB

/// `wamigrate trace NUMBER`: one person's whole history in the job: the input
/// rows they came from, the contact and its list, the WhatsApp check, every
/// campaign message and reply, and every consent ledger event, with the state
/// the ledger gives now. Shows the number it was asked about, nothing else's.
public struct ContactTrace: Codable, Sendable {
    public struct SourceRow: Codable, Sendable {
        public var origin: String
        public var outcome: String
        public var consent: String
        public var consentRaw: String?
        public var consentAt: String?
    }

    public struct Message: Codable, Sendable {
        public var campaign: String
        public var channel: String
        public var state: String
        public var reason: String?
        public var sendAt: String?
        public var sentAt: String?
        public var providerID: String?
        public var delivery: String?
        public var textVersion: String?
    }

    public struct Reply: Codable, Sendable {
        public var channel: String
        public var receivedAt: String
        public var body: String
        public var classification: String
        public var campaign: String?
        public var origin: String
    }

    public var address: String
    public var contactID: String?
    public var list: String?
    public var listReason: String?
    public var whatsapp: String?
    public var sourceRows: [SourceRow] = []
    public var messages: [Message] = []
    public var replies: [Reply] = []
    public var ledger: [ConsentEvent] = []
    public var consent: String = ConsentState.unknown.rawValue
    public var whatsappConsent: String = ConsentState.unknown.rawValue

    public static func load(store: JobStore, address: String, policy: ConsentPolicy) throws -> ContactTrace {
        var trace = ContactTrace(address: address)
        var addresses = [address]
        try store.read { db in
            let contact: Row?
            if address.hasPrefix("viber:") {
                contact = try Row.fetchOne(
                    db, sql: "SELECT id, e164, viber_id FROM contacts WHERE viber_id = ? LIMIT 1",
                    arguments: [String(address.dropFirst(6))])
            } else {
                contact = try Row.fetchOne(
                    db, sql: "SELECT id, e164, viber_id FROM contacts WHERE e164 = ?", arguments: [address])
            }
            guard let contact else { return }
            let id: String = contact[0]
            trace.contactID = id
            if let e164: String = contact[1], !addresses.contains(e164) { addresses.append(e164) }
            if let viber: String = contact[2], !addresses.contains("viber:\(viber)") { addresses.append("viber:\(viber)") }
            let files = try SourceFiles.load(db)
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT r.source_id, r.record, cr.disposition, r.consent, r.consent_raw, r.consent_at FROM contact_rows cr
                    JOIN input_rows r ON r.id = cr.row_id WHERE cr.contact_id = ? ORDER BY r.id
                    """, arguments: [id])
            {
                trace.sourceRows.append(
                    SourceRow(
                        origin: "\(files[row[0]] ?? "?"):\(row[1] as Int64)", outcome: row[2], consent: row[3],
                        consentRaw: row[4], consentAt: (row[5] as Int64?).map { DateParser.iso($0) }))
            }
            if let list = try Row.fetchOne(db, sql: "SELECT list, reason FROM import_lists WHERE contact_id = ?", arguments: [id])
            {
                trace.list = list[0]
                trace.listReason = list[1]
            }
            if let e164: String = contact[1] {
                trace.whatsapp = try String.fetchOne(
                    db, sql: "SELECT status FROM registrations WHERE e164 = ?", arguments: [e164])
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT m.campaign, m.channel, m.state, m.reason, m.send_at, m.sent_at, m.provider_id, m.delivery, t.version
                    FROM campaign_messages m LEFT JOIN campaign_texts t ON t.id = m.text_id WHERE m.contact_id = ? ORDER BY m.id
                    """, arguments: [id])
            {
                trace.messages.append(
                    Message(
                        campaign: row[0], channel: row[1], state: row[2], reason: row[3],
                        sendAt: (row[4] as Int64?).map { DateParser.iso($0) },
                        sentAt: (row[5] as Int64?).map { DateParser.iso($0) },
                        providerID: row[6], delivery: row[7], textVersion: row[8]))
            }
        }
        try store.read { db in
            let marks = Array(repeating: "?", count: addresses.count).joined(separator: ", ")
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, received_at, body, class, campaign, origin FROM inbound_messages
                    WHERE address IN (\(marks)) ORDER BY received_at, id
                    """, arguments: StatementArguments(addresses))
            {
                trace.replies.append(
                    Reply(
                        channel: row[0], receivedAt: DateParser.iso(row[1]), body: row[2], classification: row[3],
                        campaign: row[4], origin: row[5]))
            }
        }
        trace.ledger = try store.consentHistory(addresses: addresses)
        let tally = try store.consentTally(addresses: addresses, policy: policy)
        trace.consent = tally.state.rawValue
        trace.whatsappConsent = tally.whatsappState.rawValue
        return trace
    }
}
