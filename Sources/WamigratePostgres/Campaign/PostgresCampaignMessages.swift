import Foundation
import WamigrateBase
import WamigrateModel

/// The send log on PostgreSQL: `planned` → `sending` (written before the request) → `sent` |
/// `failed` | `suppressed` | `in_doubt`, as the SQLite store's. Several `campaign send`
/// processes may share a campaign: each takes its due messages by writing its lease token into
/// `claimed_by` (`PostgresSenderLease`), and `markSending`'s conditional update keeps a message
/// from being sent twice whatever happens to the claims.
extension PostgresJobStore: CampaignStore {
    /// The settings a campaign was planned with, as stored; an error naming the command to run
    /// when no campaign has that name.
    public func campaignSettingsJSON(_ name: String) throws -> String {
        let json = try read {
            try connection.execute("SELECT settings_json FROM campaigns WHERE name = $1", [name]).scalarString
        }
        guard let json else { throw WamigrateError.noCampaign(name) }
        return json
    }

    /// Messages in one of these states, by id. The `sending` and `in_doubt` ones are what a
    /// sender settles: they are taken for this sender in the same statement (none another live
    /// sender holds, which it may be sending right now), so two senders never settle one message.
    public func campaignMessages(_ campaign: String, state: MessageState) throws -> [OutboundMessage] {
        guard state == .sending || state == .inDoubt else {
            return try read {
                OutboundMessage.all(
                    try connection.execute(
                        "\(OutboundMessage.selectSQL) WHERE m.campaign = $1 AND m.state = $2 ORDER BY m.id",
                        [campaign, state.rawValue]))
            }
        }
        let token = try senderToken()
        return try write {
            OutboundMessage.all(
                try connection.execute(
                    """
                    WITH claimed AS (
                      UPDATE campaign_messages m SET claimed_by = $3
                      WHERE m.campaign = $1 AND m.state = $2 AND \(PostgresSenderLease.free("m.claimed_by", token: "$3"))
                      RETURNING m.id
                    )
                    \(OutboundMessage.selectSQL) JOIN claimed k ON k.id = m.id ORDER BY m.id
                    """, [campaign, state.rawValue, token]))
        }
    }

    /// Planned messages whose slot has come, after the (send_at, id) cursor, in slot order; each
    /// taken for this sender (`claimed_by`) in the same transaction, none another live sender holds.
    public func dueMessages(_ campaign: String, now: Int64, after cursor: (Int64, Int64), limit: Int) throws
        -> [OutboundMessage]
    {
        let token = try senderToken()
        return try write {
            let rows = try connection.execute(
                """
                WITH claimed AS (
                  UPDATE campaign_messages SET claimed_by = $6 WHERE id IN (
                    SELECT m.id FROM campaign_messages m JOIN campaign_texts t ON t.id = m.text_id
                    WHERE m.campaign = $1 AND m.state = $2 AND m.send_at <= $3
                      AND ((m.send_at, m.id) > ($4, $5) OR m.claimed_by IS DISTINCT FROM $6)
                      AND \(PostgresSenderLease.free("m.claimed_by", token: "$6"))
                    ORDER BY m.send_at, m.id LIMIT $7
                    FOR UPDATE OF m SKIP LOCKED)
                  RETURNING id
                )
                \(OutboundMessage.selectSQL) JOIN claimed k ON k.id = m.id ORDER BY m.send_at, m.id
                """,
                [campaign, MessageState.planned.rawValue, now, cursor.0, cursor.1, token, limit])
            return OutboundMessage.all(rows)
        }
    }

    /// planned → sending, before the request, taken by this sender; within the channel's daily
    /// limit counted for every sender together (`campaign_day_sends`, one row per campaign,
    /// channel and day, started from the send log the first time and counted up under its row
    /// lock, so N senders never start more than the limit between them).
    public func markSending(_ id: Int64, at time: Int64, within limit: DailyLimit?) throws -> SendingClaim {
        let token = try senderToken()
        return try write {
            if let limit {
                let key: [any PostgresBindable] = [limit.campaign, limit.channel, limit.day]
                try connection.execute(
                    """
                    INSERT INTO campaign_day_sends (campaign, channel, day, started)
                    SELECT $1::text, $2::text, $3::bigint, (SELECT count(*) FROM campaign_messages
                      WHERE campaign = $1 AND channel = $2
                      AND state IN ($4, $5, $6) AND sending_at >= $3 AND sending_at < $3 + 86400)
                    WHERE NOT EXISTS (SELECT 1 FROM campaign_day_sends WHERE campaign = $1 AND channel = $2 AND day = $3)
                    ON CONFLICT DO NOTHING
                    """, key + [MessageState.sending, MessageState.sent, MessageState.inDoubt])
                let counted = try connection.execute(
                    """
                    UPDATE campaign_day_sends SET started = started + 1
                    WHERE campaign = $1 AND channel = $2 AND day = $3 AND started < $4
                    """, key + [limit.perDay]
                ).changes
                guard counted == 1 else { return .dailyLimitReached }
            }
            let marked = try connection.execute(
                """
                UPDATE campaign_messages SET state = $1, attempts = attempts + 1, sending_at = $2, claimed_by = $5
                WHERE id = $3 AND state = $4
                """, [MessageState.sending.rawValue, time, id, MessageState.planned.rawValue, token]
            ).changes
            guard marked == 1 else {
                if let limit {
                    try connection.execute(
                        "UPDATE campaign_day_sends SET started = started - 1 WHERE campaign = $1 AND channel = $2 AND day = $3",
                        [limit.campaign, limit.channel, limit.day])
                }
                return .taken
            }
            return .claimed
        }
    }

    /// Records how a message ended; with `optOut`, appends the ledger event in the same transaction.
    public func saveOutcome(
        _ id: Int64, state: MessageState, providerID: String?, errorCode: String?, reason: MessageReason?,
        at time: Int64,
        optOut: ConsentEvent?
    ) throws {
        try write {
            try connection.execute(
                """
                UPDATE campaign_messages SET state = $1, provider_id = COALESCE($2, provider_id), error_code = $3,
                  reason = $4, sent_at = CASE WHEN $5 = 1 THEN $6 ELSE sent_at END
                WHERE id = $7
                """, [state.rawValue, providerID, errorCode, reason?.rawValue, state == .sent, time, id])
            if let optOut { try appendConsentEvent(optOut) }
        }
    }

    /// Messages sent on a channel in [from, to): the per-day throttle at send time.
    public func sentCount(_ campaign: String, channel: Channel, from: Int64, to: Int64) throws -> Int {
        try read {
            try connection.execute(
                """
                SELECT count(*) FROM campaign_messages WHERE campaign = $1 AND channel = $2
                  AND state IN ($3, $4, $5) AND sending_at >= $6 AND sending_at < $7
                """,
                [
                    campaign, channel, MessageState.sending.rawValue, MessageState.sent.rawValue,
                    MessageState.inDoubt.rawValue, from, to,
                ]
            ).scalarInt ?? 0
        }
    }

    /// Planned messages whose slot is still ahead, and the next slot.
    public func upcoming(_ campaign: String, now: Int64) throws -> (count: Int, next: Int64?) {
        try read {
            let rows = try connection.execute(
                """
                SELECT count(*) AS count, min(send_at) AS next FROM campaign_messages
                WHERE campaign = $1 AND state = $2 AND send_at > $3
                """, [campaign, MessageState.planned.rawValue, now])
            guard rows.count > 0 else { return (0, nil) }
            return (rows.int(0, rows.column("count")) ?? 0, rows.int64(0, rows.column("next")))
        }
    }
}

extension OutboundMessage {
    /// The rows of `PostgresOutboundMessage.selectSQL`, by column name: the zones are a `|` list, the
    /// addresses the contact's number and Viber id.
    static func all(_ rows: PostgresRows) -> [OutboundMessage] {
        let at = OutboundColumns(rows)
        return (0..<rows.count).map { at.message(rows, $0) }
    }
}

/// Where `OutboundMessage.selectSQL`'s columns stand, found once per result.
private struct OutboundColumns {
    let id, campaign, contactID, channel, address, zones, text, link, language, version: Int32
    let sendAt, state, sendingAt, idempotencyKey, e164, viberID, button, business: Int32

    init(_ rows: PostgresRows) {
        (id, campaign, contactID, channel, address) = (
            rows.column("id"), rows.column("campaign"), rows.column("contact_id"), rows.column("channel"),
            rows.column("address")
        )
        (zones, text, link, language, version) = (
            rows.column("zones"), rows.column("text"), rows.column("link"), rows.column("language"),
            rows.column("version")
        )
        (sendAt, state, sendingAt, idempotencyKey) = (
            rows.column("send_at"), rows.column("state"), rows.column("sending_at"), rows.column("idempotency_key")
        )
        (e164, viberID, button, business) = (
            rows.column("e164"), rows.column("viber_id"), rows.column("button"), rows.column("business")
        )
    }

    func message(_ rows: PostgresRows, _ row: Int) -> OutboundMessage {
        let number = rows.string(row, e164)
        let viber = rows.string(row, viberID)
        return OutboundMessage(
            id: rows.int64(row, id) ?? 0, campaign: rows.string(row, campaign) ?? "",
            contactID: rows.string(row, contactID) ?? "",
            channel: Channel(rawValue: rows.string(row, channel) ?? "") ?? .sms,
            address: rows.string(row, address) ?? "",
            zones: (rows.string(row, zones) ?? "").split(separator: "|").map(String.init),
            text: rows.string(row, text) ?? "", link: rows.string(row, link), button: rows.string(row, button),
            business: rows.string(row, business) ?? "", language: rows.string(row, language) ?? "",
            version: rows.string(row, version) ?? "", sendAt: rows.int64(row, sendAt) ?? 0,
            state: MessageState(rawValue: rows.string(row, state) ?? "") ?? .planned,
            sendingAt: rows.int64(row, sendingAt), idempotencyKey: rows.string(row, idempotencyKey) ?? "",
            addresses: [number, viber.map { "viber:\($0)" }].compactMap { $0 })
    }
}
