import Foundation
import GRDB
import WamigrateBase

/// The wave send log: `planned` → `sending` (written before the request) → `sent`
/// (with its wamid) | `failed` | `suppressed` | `in_doubt`.
extension JobStore {
    /// The limit a send runs under, kept on the wave for the report.
    public func recordWaveLimit(_ name: String, tier: Int?, source: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE waves SET tier = ?, tier_source = ? WHERE name = ?", arguments: [tier, source, name])
        }
    }

    public func wave(_ name: String) throws -> WaveRecord {
        let record = try read { db in
            try WaveRecord.fetchOne(
                db,
                sql: """
                    SELECT name, template, language, category, list, tier, settings_json, planned_at, released, promoted
                    FROM waves
                    WHERE name = ?
                    """, arguments: [name])
        }
        guard let record else {
            throw WamigrateError(
                .stageOrder, "there is no planned wave named '\(name)' in this store",
                hint: "run `wamigrate wave plan --name \(name) --template …` first")
        }
        return record
    }

    private static let templateSelect = """
        SELECT m.id, m.contact_id, m.e164, m.parameters_json, m.state, m.sending_at, m.idempotency_key, m.variant,
          c.viber_id
        FROM wave_messages m LEFT JOIN contacts c ON c.id = m.contact_id
        """

    /// A row of `templateSelect`, by column name.
    private struct TemplateRow: Decodable, FetchableRecord {
        static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.storeColumns
        var id: Int64
        var contactID: String
        var e164: String?
        var parametersJSON: String?
        var state: String
        var sendingAt: Int64?
        var idempotencyKey: String
        var variant: String
        var viberID: String?

        var outbound: OutboundTemplate {
            let parameters = parametersJSON.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
            let e164 = e164 ?? ""
            var outbound = OutboundTemplate(
                id: id, contactID: contactID, e164: e164, parameters: parameters,
                state: MessageState(rawValue: state) ?? .planned, sendingAt: sendingAt, idempotencyKey: idempotencyKey,
                addresses: [e164, viberID.map { "viber:\($0)" }].compactMap { $0 }.filter { !$0.isEmpty })
            outbound.variant = variant
            return outbound
        }
    }

    /// Planned messages after `id`, in plan order.
    public func plannedTemplates(_ wave: String, after id: Int64, limit: Int) throws -> [OutboundTemplate] {
        try read { db in
            try TemplateRow.fetchAll(
                db,
                sql: """
                    \(Self.templateSelect) WHERE m.wave = ? AND m.state = ? AND m.id > ?
                      AND m.cohort < (SELECT released FROM waves WHERE name = m.wave) ORDER BY m.id LIMIT ?
                    """,
                arguments: [wave, MessageState.planned, id, limit]
            ).map(\.outbound)
        }
    }

    public func waveMessages(_ wave: String, state: MessageState) throws -> [OutboundTemplate] {
        try read { db in
            try TemplateRow.fetchAll(
                db, sql: "\(Self.templateSelect) WHERE m.wave = ? AND m.state = ? ORDER BY m.id",
                arguments: [wave, state]
            ).map(\.outbound)
        }
    }

    public func waveMessageStates(_ ids: [Int64]) throws -> [Int64: MessageState] {
        try read { db in
            var states: [Int64: MessageState] = [:]
            for id in ids {
                if let word = try String.fetchOne(db, sql: "SELECT state FROM wave_messages WHERE id = ?", arguments: [id]) {
                    states[id] = MessageState(rawValue: word)
                }
            }
            return states
        }
    }

    /// planned → sending, before the request. False when another run got there first.
    public func markTemplateSending(_ id: Int64, at time: Int64) throws -> Bool {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE wave_messages SET state = ?, attempts = attempts + 1, sending_at = ? WHERE id = ? AND state = ?
                    """, arguments: [MessageState.sending, time, id, MessageState.planned])
            return db.changesCount == 1
        }
    }

    /// How many of these messages a status webhook settled as sent.
    public func settledByWebhook(_ ids: Set<Int64>) throws -> Int {
        try read { db in
            var count = 0
            let statement = try db.makeStatement(
                sql: "SELECT count(*) FROM wave_messages WHERE id = ? AND state = ? AND reason = ?")
            for id in ids {
                count += try Int.fetchOne(statement, arguments: [id, MessageState.sent, MessageReason.settledByWebhook]) ?? 0
            }
            return count
        }
    }

    /// A retry is about to go out: `sending_at` says when the last request left, which the
    /// settle window of an in-doubt message counts from.
    public func markTemplateRetry(_ id: Int64, at time: Int64) throws {
        try write { db in
            try db.execute(sql: "UPDATE wave_messages SET sending_at = ? WHERE id = ?", arguments: [time, id])
        }
    }

    /// Records how a wave message ended; with `optOut` the ledger event goes in the same transaction.
    public func saveTemplateOutcome(
        _ id: Int64, state: MessageState, wamid: String?, errorCode: String?, reason: MessageReason?, at time: Int64
    ) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE wave_messages SET state = ?, wamid = COALESCE(?, wamid), error_code = ?, reason = ?,
                      sent_at = CASE WHEN ? THEN ? ELSE sent_at END
                    WHERE id = ?
                    """, arguments: [state, wamid, errorCode, reason, state == .sent, time, id])
        }
    }

    /// Distinct numbers any wave started a message to since `time`: what the messaging
    /// limit (unique recipients per rolling 24 h, per business portfolio) counts.
    public func waveRecipients(since time: Int64) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(DISTINCT e164) FROM wave_messages WHERE sending_at >= ? AND state IN (?, ?, ?)
                    """, arguments: [time, MessageState.sending, MessageState.sent, MessageState.inDoubt]) ?? 0
        }
    }

    /// The earliest `sending_at` counted by `waveRecipients(since:)`: when a slot frees up.
    public func oldestWaveSend(since time: Int64) throws -> Int64? {
        try read { db in
            try Int64.fetchOne(
                db, sql: "SELECT min(sending_at) FROM wave_messages WHERE sending_at >= ? AND state IN (?, ?, ?)",
                arguments: [time, MessageState.sending, MessageState.sent, MessageState.inDoubt])
        }
    }

    /// The wamid a status webhook reported for a message sent with this callback data, if one arrived.
    public func wamid(callback: String) throws -> String? {
        try read { db in
            try String.fetchOne(
                db, sql: "SELECT wamid FROM message_statuses WHERE callback = ? ORDER BY id LIMIT 1", arguments: [callback])
        }
    }

    /// Whether a status webhook arrived for another message of this wave sent from `time` on:
    /// proof that statuses reach the job, so a message sent at `time` with none was not taken.
    public func statusArrived(wave: String, sentFrom time: Int64, other id: Int64) throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM wave_messages w JOIN message_statuses s ON s.callback = w.idempotency_key
                      WHERE w.wave = ? AND w.sending_at >= ? AND w.id != ?)
                    """, arguments: [wave, time, id]) ?? false
        }
    }

    /// How many messages of this wave are in this state.
    public func waveCount(_ wave: String, state: MessageState) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM wave_messages WHERE wave = ? AND state = ?", arguments: [wave, state]) ?? 0
        }
    }
}

extension WaveRecord: FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.storeColumns
}
