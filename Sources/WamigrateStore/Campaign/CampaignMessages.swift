import Foundation
import GRDB
import WamigrateBase

/// The send log: `planned` → `sending` (written before the request) → `sent` |
/// `failed` | `suppressed` | `in_doubt`. A crash leaves `sending`, which the
/// next run settles before sending anything else.
extension JobStore {
    /// The settings a campaign was planned with, as stored (Core decodes them);
    /// an error naming the command to run when no campaign has that name.
    public func campaignSettingsJSON(_ name: String) throws -> String {
        let json = try read { db in
            try String.fetchOne(db, sql: "SELECT settings_json FROM campaigns WHERE name = ?", arguments: [name])
        }
        guard let json else { throw WamigrateError.noCampaign(name) }
        return json
    }

    /// Messages in one of these states (for settling `sending` and `in_doubt`).
    public func campaignMessages(_ campaign: String, state: MessageState) throws -> [OutboundMessage] {
        try read { db in
            try OutboundMessage.fetchAll(
                db, sql: "\(OutboundMessage.selectSQL) WHERE m.campaign = ? AND m.state = ? ORDER BY m.id",
                arguments: [campaign, state]
            )
        }
    }

    /// Planned messages whose slot has come, after the (send_at, id) cursor, in slot order.
    public func dueMessages(_ campaign: String, now: Int64, after cursor: (Int64, Int64), limit: Int) throws
        -> [OutboundMessage]
    {
        try read { db in
            try OutboundMessage.fetchAll(
                db,
                sql: """
                    \(OutboundMessage.selectSQL)
                    WHERE m.campaign = ? AND m.state = ? AND m.send_at <= ? AND (m.send_at, m.id) > (?, ?)
                    ORDER BY m.send_at, m.id LIMIT ?
                    """, arguments: [campaign, MessageState.planned, now, cursor.0, cursor.1, limit]
            )
        }
    }

    /// planned → sending, before the request; taken when another run got there first. One
    /// writer sends at a time here, so the sender's own count keeps the daily limit.
    public func markSending(_ id: Int64, at time: Int64, within limit: DailyLimit?) throws -> SendingClaim {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE campaign_messages SET state = ?, attempts = attempts + 1, sending_at = ?
                    WHERE id = ? AND state = ?
                    """, arguments: [MessageState.sending, time, id, MessageState.planned])
            return db.changesCount == 1 ? .claimed : .taken
        }
    }

    /// Records how a message ended; with `optOut`, appends the ledger event in the same transaction.
    public func saveOutcome(
        _ id: Int64, state: MessageState, providerID: String?, errorCode: String?, reason: MessageReason?, at time: Int64,
        optOut: ConsentEvent?
    ) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE campaign_messages SET state = ?, provider_id = COALESCE(?, provider_id), error_code = ?, reason = ?,
                      sent_at = CASE WHEN ? THEN ? ELSE sent_at END
                    WHERE id = ?
                    """, arguments: [state, providerID, errorCode, reason, state == .sent, time, id])
            try optOut?.append(db)
        }
    }

    /// Messages sent on a channel in [from, to): the per-day throttle at send time.
    public func sentCount(_ campaign: String, channel: Channel, from: Int64, to: Int64) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM campaign_messages WHERE campaign = ? AND channel = ?
                      AND state IN (?, ?, ?) AND sending_at >= ? AND sending_at < ?
                    """,
                arguments: [campaign, channel, MessageState.sending, MessageState.sent, MessageState.inDoubt, from, to]) ?? 0
        }
    }

    /// Planned messages whose slot is still ahead, and the next slot.
    public func upcoming(_ campaign: String, now: Int64) throws -> (count: Int, next: Int64?) {
        try read { db in
            let row = try Row.fetchOne(
                db,
                sql:
                    """
                    SELECT count(*) AS count, min(send_at) AS next FROM campaign_messages
                    WHERE campaign = ? AND state = ? AND send_at > ?
                    """,
                arguments: [campaign, MessageState.planned, now])
            return (row?["count"] ?? 0, row?["next"])
        }
    }
}

extension OutboundMessage: FetchableRecord {
    /// A row of `OutboundMessage.selectSQL`, by column name: the zones are a `|` list, the addresses the
    /// contact's number and Viber id.
    public init(row: Row) {
        let e164: String? = row["e164"]
        let viber: String? = row["viber_id"]
        self.init(
            id: row["id"], campaign: row["campaign"], contactID: row["contact_id"], channel: row["channel"],
            address: row["address"], zones: (row["zones"] as String? ?? "").split(separator: "|").map(String.init),
            text: row["text"], link: row["link"], button: row["button"], business: row["business"],
            language: row["language"], version: row["version"], sendAt: row["send_at"],
            state: MessageState(rawValue: row["state"]) ?? .planned, sendingAt: row["sending_at"],
            idempotencyKey: row["idempotency_key"], addresses: [e164, viber.map { "viber:\($0)" }].compactMap { $0 })
    }
}
