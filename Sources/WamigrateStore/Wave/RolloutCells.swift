import Foundation
import GRDB
import WamigrateBase

/// A rollout's figures per cohort × variant, its gate decisions, and the cohorts released to `send`.
extension JobStore {
    /// The counts per cohort × variant: one pass over the wave's rollout index for the
    /// statuses, and the replies, opt-outs and blocks joined from their own (smaller) sets, so
    /// the query reads indexes only, however large the wave. `:wave` and `:cutoff` (Unix s:
    /// a message sent at or before it is measured) are its parameters. Column names are
    /// unqualified where only `wave_messages` has them. CROSS JOIN and INDEXED BY keep SQLite
    /// starting from the small side (the replies, the opt-outs, the failures) and looking each
    /// message up, never walking every message for each of them.
    static func rolloutCellsSQL(withTally: Bool = false) -> String {
        let marketing = ConsentEvent.Method.marketingOnlySQL
        func code(_ number: Int) -> String { "(',' || COALESCE(error_code, '') || ',') LIKE '%,\(number),%'" }
        let failed = "(state = \(MessageState.failed.quoted) OR delivery = \(CloudStatus.failed.quoted))"
        let out = "state IN (\(MessageState.sent.quoted), \(MessageState.failed.quoted))"
        let at = "COALESCE(sent_at, sending_at)"
        let isMeasured = "(\(out) AND \(at) <= :cutoff)"
        return """
            WITH tally AS (\(tallySQL)),
            counts AS (
              SELECT cohort, variant,
                sum(CASE WHEN state = \(MessageState.planned.quoted) THEN n ELSE 0 END) AS planned,
                sum(CASE WHEN state = \(MessageState.excluded.quoted) AND reason = \(MessageReason.holdout.quoted) THEN n ELSE 0 END)
                  AS holdout,
                sum(measured) AS measured,
                sum(CASE WHEN state IN (\(MessageState.sent.quoted), \(MessageState.failed.quoted),
                  \(MessageState.sending.quoted), \(MessageState.inDoubt.quoted)) THEN n - measured ELSE 0 END) AS waiting,
                sum(CASE WHEN delivery IN (\(CloudStatus.delivered.quoted), \(CloudStatus.read.quoted)) THEN measured ELSE 0 END)
                  AS delivered,
                sum(CASE WHEN delivery = \(CloudStatus.read.quoted) THEN measured ELSE 0 END) AS read,
                sum(CASE WHEN \(failed) THEN measured ELSE 0 END) AS failed,
                sum(CASE WHEN \(failed) AND \(code(131026)) THEN measured ELSE 0 END) AS failed_131026,
                sum(CASE WHEN \(failed) AND \(code(131049)) THEN measured ELSE 0 END) AS failed_131049,
                sum(CASE WHEN \(failed) AND \(code(131050)) THEN measured ELSE 0 END) AS failed_131050
              FROM tally GROUP BY cohort, variant
            ),
            replied AS (
              SELECT m.cohort, m.variant, sum(r.last >= \(at)) AS replied, sum(r.clicked >= \(at)) AS clicked
              FROM (SELECT contact_id, max(received_at) AS last, max(CASE WHEN button THEN received_at END) AS clicked
                    FROM inbound_messages
                    WHERE channel = \(Channel.whatsapp.quoted) AND contact_id IS NOT NULL GROUP BY contact_id) r
              CROSS JOIN wave_messages m INDEXED BY wave_messages_contact ON m.contact_id = r.contact_id AND m.wave = :wave
              WHERE \(isMeasured)
              GROUP BY m.cohort, m.variant
            ),
            stopped AS (
              SELECT m.cohort, m.variant,
                sum(s.typed >= \(at) OR s.marketing >= \(at)) AS optout, sum(s.typed >= \(at)) AS stop,
                sum(s.marketing >= \(at)) AS marketing_stop
              FROM (SELECT address,
                      max(CASE WHEN \(marketing) THEN NULL ELSE COALESCE(at, recorded_at) END) AS typed,
                      max(CASE WHEN \(marketing) THEN COALESCE(at, recorded_at) END) AS marketing
                    FROM consent_events WHERE event = 'opt_out' AND channel = \(Channel.whatsapp.quoted) GROUP BY address) s
              CROSS JOIN wave_messages m INDEXED BY wave_messages_e164 ON m.e164 = s.address AND m.wave = :wave
              WHERE \(isMeasured)
              GROUP BY m.cohort, m.variant
            ),
            blocked AS (
              SELECT m.cohort, m.variant, count(*) AS blocked
              FROM wave_messages m INDEXED BY wave_messages_error CROSS JOIN registrations g ON g.e164 = m.e164
              WHERE m.wave = :wave AND m.error_code IS NOT NULL AND g.wa_id IS NOT NULL
                AND \(isMeasured)
                AND \(failed) AND \(code(131026))
              GROUP BY m.cohort, m.variant
            )
            SELECT \(withTally ? "'cell' AS kind, NULL AS state, NULL AS delivery, NULL AS error_code, NULL AS reason, NULL AS n," : "")
              c.cohort, c.variant, c.planned, c.holdout, c.measured, c.waiting, c.delivered, c.read,
              COALESCE(r.replied, 0) AS replied, COALESCE(r.clicked, 0) AS clicked, COALESCE(s.optout, 0) AS optout, COALESCE(s.stop, 0) AS stop,
              COALESCE(s.marketing_stop, 0) AS marketing_stop, COALESCE(b.blocked, 0) AS blocked, c.failed,
              c.failed_131026, c.failed_131049, c.failed_131050
            FROM counts c
            LEFT JOIN replied r ON r.cohort = c.cohort AND r.variant = c.variant
            LEFT JOIN stopped s ON s.cohort = c.cohort AND s.variant = c.variant
            LEFT JOIN blocked b ON b.cohort = c.cohort AND b.variant = c.variant
            \(withTally ? """
                UNION ALL
                SELECT 'tally', state, delivery, error_code, reason, n, cohort, variant\(String(repeating: ", NULL", count: 16))
                FROM tally
                """ : "ORDER BY c.cohort, c.variant")
            """
    }

    /// A wave's messages counted by cohort, variant, state, delivery, error code and reason
    /// (`n`, in the order of `wave_messages_rollout`, so SQLite groups as it reads the index),
    /// and how many of the sent ones went out at or before `:cutoff` (`measured`): all of
    /// them but the recent ones, found through `wave_messages_at`. `wave status` and the
    /// rollout's counts both start from it.
    static let tallySQL = """
        WITH every AS (
          SELECT cohort, variant, state, delivery, error_code, reason, count(*) AS n FROM wave_messages
          WHERE wave = :wave GROUP BY cohort, variant, state, delivery, error_code, reason
        ),
        recent AS MATERIALIZED (
          SELECT cohort, variant, state, delivery, error_code, reason, count(*) AS n
          FROM wave_messages INDEXED BY wave_messages_at WHERE wave = :wave AND COALESCE(sent_at, sending_at) > :cutoff
          GROUP BY cohort, variant, state, delivery, error_code, reason
        )
        SELECT e.cohort, e.variant, e.state, e.delivery, e.error_code, e.reason, e.n,
          CASE WHEN e.state IN (\(MessageState.sent.quoted), \(MessageState.failed.quoted)) THEN e.n - COALESCE(r.n, 0)
            ELSE 0 END AS measured
        FROM every e LEFT JOIN recent r ON r.cohort = e.cohort AND r.variant = e.variant AND r.state = e.state
          AND r.delivery IS e.delivery AND r.error_code IS e.error_code AND r.reason IS e.reason
        """

    /// The wave's status and its rollout's cells from one pass over the wave: the cells'
    /// query with the tally's rows after them (`kind` tells them apart).
    public func rolloutCounts(_ wave: String, measuredBefore cutoff: Int64) throws -> RolloutCounts {
        let record = try self.wave(wave)
        return try read { db in
            var counts = RolloutCounts(report: try Self.waveReport(record, db), cells: [])
            let rows = try Row.fetchAll(
                db, sql: Self.rolloutCellsSQL(withTally: true), arguments: ["wave": wave, "cutoff": cutoff])
            for row in rows {
                if row["kind"] == "tally" {
                    counts.report.add(
                        count: row["n"], state: row["state"], delivery: row["delivery"], errorCode: row["error_code"],
                        reason: row["reason"])
                } else {
                    counts.cells.append(Self.cell(row))
                }
            }
            counts.cells.sort { ($0.cohort, $0.variant) < ($1.cohort, $1.variant) }
            return counts
        }
    }

    static func cell(_ row: Row) -> RolloutCell {
        var signals = SignalCounts(measured: row["measured"] ?? 0, waiting: row["waiting"] ?? 0)
        for signal in RolloutSignal.allCases { signals.counts[signal] = row[signal.rawValue] ?? 0 }
        return RolloutCell(
            cohort: row["cohort"], variant: row["variant"], planned: row["planned"] ?? 0, holdout: row["holdout"] ?? 0,
            signals: signals)
    }

    public func rolloutCells(_ wave: String, measuredBefore cutoff: Int64) throws -> [RolloutCell] {
        try read { db in
            try Row.fetchAll(db, sql: Self.rolloutCellsSQL(), arguments: ["wave": wave, "cutoff": cutoff]).map(Self.cell)
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
