import Foundation
import GRDB
import WamigrateBase

/// A rollout's figures per cohort × variant, its gate decisions, and the cohorts released to `send`.
extension JobStore {
    /// One pass over the wave's messages; replies and opt-outs are joined as each person's latest
    /// (one row per person), so the query stays one scan however large the wave.
    static func rolloutCellsSQL() -> String {
        let marketing = ConsentEvent.Method.marketingOnlySQL
        func code(_ number: Int) -> String { "(',' || COALESCE(m.error_code, '') || ',') LIKE '%,\(number),%'" }
        let failed = "(m.state = \(MessageState.failed.quoted) OR m.delivery = \(CloudStatus.failed.quoted))"
        return """
            WITH m AS (
              SELECT w.*, COALESCE(w.sent_at, w.sending_at) AS at,
                (w.state IN (\(MessageState.sent.quoted), \(MessageState.failed.quoted))
                  AND COALESCE(w.sent_at, w.sending_at) <= :cutoff) AS measured
              FROM wave_messages w WHERE w.wave = :wave
            ),
            replies AS (
              SELECT contact_id, max(received_at) AS last FROM inbound_messages
              WHERE channel = \(Channel.whatsapp.quoted) AND contact_id IS NOT NULL GROUP BY contact_id
            ),
            stops AS (
              SELECT address,
                max(CASE WHEN \(marketing) THEN NULL ELSE COALESCE(at, recorded_at) END) AS typed,
                max(CASE WHEN \(marketing) THEN COALESCE(at, recorded_at) END) AS marketing
              FROM consent_events WHERE event = 'opt_out' AND channel = \(Channel.whatsapp.quoted) GROUP BY address
            )
            SELECT m.cohort, m.variant,
              sum(m.state = \(MessageState.planned.quoted)) AS planned,
              sum(m.state = \(MessageState.excluded.quoted) AND m.reason = \(MessageReason.holdout.quoted)) AS holdout,
              sum(m.measured) AS measured,
              sum(NOT m.measured AND m.state IN (\(MessageState.sent.quoted), \(MessageState.failed.quoted),
                \(MessageState.sending.quoted), \(MessageState.inDoubt.quoted))) AS waiting,
              sum(m.measured AND m.delivery IN (\(CloudStatus.delivered.quoted), \(CloudStatus.read.quoted))) AS delivered,
              sum(m.measured AND m.delivery = \(CloudStatus.read.quoted)) AS read,
              sum(m.measured AND r.last >= m.at) AS replied,
              sum(m.measured AND (s.typed >= m.at OR s.marketing >= m.at)) AS optout,
              sum(m.measured AND s.typed >= m.at) AS stop,
              sum(m.measured AND s.marketing >= m.at) AS marketing_stop,
              sum(m.measured AND \(failed) AND \(code(131026)) AND g.wa_id IS NOT NULL) AS blocked,
              sum(m.measured AND \(failed)) AS failed,
              sum(m.measured AND \(failed) AND \(code(131026))) AS failed_131026,
              sum(m.measured AND \(failed) AND \(code(131049))) AS failed_131049,
              sum(m.measured AND \(failed) AND \(code(131050))) AS failed_131050
            FROM m
            LEFT JOIN replies r ON r.contact_id = m.contact_id
            LEFT JOIN stops s ON s.address = m.e164
            LEFT JOIN registrations g ON g.e164 = m.e164
            GROUP BY m.cohort, m.variant ORDER BY m.cohort, m.variant
            """
    }

    public func rolloutCells(_ wave: String, measuredBefore cutoff: Int64) throws -> [RolloutCell] {
        try read { db in
            try Row.fetchAll(db, sql: Self.rolloutCellsSQL(), arguments: ["wave": wave, "cutoff": cutoff]).map { row in
                var signals = SignalCounts(measured: row["measured"] ?? 0, waiting: row["waiting"] ?? 0)
                for signal in RolloutSignal.allCases { signals.counts[signal] = row[signal.rawValue] ?? 0 }
                return RolloutCell(
                    cohort: row["cohort"], variant: row["variant"], planned: row["planned"] ?? 0,
                    holdout: row["holdout"] ?? 0, signals: signals)
            }
        }
    }

    public func rolloutDecisions(_ wave: String) throws -> [RolloutDecision] {
        try read { db in
            try RolloutDecision.fetchAll(
                db,
                sql: """
                    SELECT wave, cohort, at, verdict, sample, detail, released FROM wave_rollout_decisions
                    WHERE wave = ? ORDER BY id
                    """, arguments: [wave])
        }
    }

    public func recordRolloutDecision(_ decision: RolloutDecision) throws {
        try write { db in try Self.insert(decision, db) }
    }

    public func promote(_ wave: String, variant: String, decision: RolloutDecision) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE wave_messages SET variant = ? WHERE wave = ? AND state = ?",
                arguments: [variant, wave, MessageState.planned])
            try db.execute(sql: "UPDATE waves SET promoted = ? WHERE name = ?", arguments: [variant, wave])
            try Self.insert(decision, db)
        }
    }

    private static func insert(_ decision: RolloutDecision, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO wave_rollout_decisions (wave, cohort, at, verdict, sample, detail, released)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                decision.wave, decision.cohort, decision.at, decision.verdict, decision.sample, decision.detail,
                decision.released,
            ])
        try db.execute(
            sql: "UPDATE waves SET released = ? WHERE name = ?", arguments: [decision.released, decision.wave])
    }
}

extension RolloutDecision: FetchableRecord {}
