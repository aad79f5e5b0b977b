import Foundation
import WamigrateBase
import WamigrateModel

/// A rollout's figures per cohort × variant on PostgreSQL, as the SQLite store's
/// `RolloutCells` counts them: the same conditions, with SQLite's boolean sums as CASE,
/// its `IS` as `IS NOT DISTINCT FROM`, and its index hints left to the planner.
extension PostgresJobStore: RolloutStore {
    /// The counts per cohort × variant: the statuses from the wave's tally, and the replies,
    /// opt-outs and blocks joined from their own (smaller) sets. `$1` is the wave, `$2` the
    /// cutoff (Unix s: a message sent at or before it is measured). Column names are
    /// unqualified where only `wave_messages` has them.
    static func rolloutCellsSQL(withTally: Bool = false) -> String {
        let marketing = ConsentEvent.Method.marketingOnlySQL
        func code(_ number: Int) -> String { "(',' || COALESCE(error_code, '') || ',') LIKE '%,\(number),%'" }
        func count(_ condition: String) -> String { "sum(CASE WHEN \(condition) THEN 1 ELSE 0 END)" }
        let failed = "(state = \(MessageState.failed.quoted) OR delivery = \(CloudStatus.failed.quoted))"
        let out = "state IN (\(MessageState.sent.quoted), \(MessageState.failed.quoted))"
        let at = "COALESCE(sent_at, sending_at)"
        let isMeasured = "(\(out) AND \(at) <= $2)"
        let cells = """
            c.cohort, c.variant, c.planned, c.holdout, c.measured, c.waiting, c.delivered, c.read,
              COALESCE(r.replied, 0) AS replied, COALESCE(r.clicked, 0) AS clicked, COALESCE(s.optout, 0) AS optout,
              COALESCE(s.stop, 0) AS stop, COALESCE(s.marketing_stop, 0) AS marketing_stop,
              COALESCE(b.blocked, 0) AS blocked, c.failed, c.failed_131026, c.failed_131049, c.failed_131050
            """
        let cellKind = "'cell' AS kind, NULL AS state, NULL AS delivery, NULL AS error_code, NULL AS reason, NULL AS n,"
        let nulls = String(repeating: ", NULL", count: 16)
        let tallyRows =
            withTally
            ? """
            UNION ALL
            SELECT 'tally', state, delivery, error_code, reason, n, cohort, variant\(nulls)
            FROM tally
            """ : "ORDER BY c.cohort, c.variant COLLATE \"C\""
        return """
            WITH tally AS (\(rolloutTallySQL)),
            counts AS (
              SELECT cohort, variant,
                sum(CASE WHEN state = \(MessageState.planned.quoted) THEN n ELSE 0 END) AS planned,
                sum(CASE WHEN state = \(MessageState.excluded.quoted) AND reason = \(MessageReason.holdout.quoted)
                  THEN n ELSE 0 END) AS holdout,
                sum(measured) AS measured,
                sum(CASE WHEN state IN (\(MessageState.sent.quoted), \(MessageState.failed.quoted),
                  \(MessageState.sending.quoted), \(MessageState.inDoubt.quoted)) THEN n - measured ELSE 0 END)
                  AS waiting,
                sum(CASE WHEN delivery IN (\(CloudStatus.delivered.quoted), \(CloudStatus.read.quoted))
                  THEN measured ELSE 0 END) AS delivered,
                sum(CASE WHEN delivery = \(CloudStatus.read.quoted) THEN measured ELSE 0 END) AS read,
                sum(CASE WHEN \(failed) THEN measured ELSE 0 END) AS failed,
                sum(CASE WHEN \(failed) AND \(code(131026)) THEN measured ELSE 0 END) AS failed_131026,
                sum(CASE WHEN \(failed) AND \(code(131049)) THEN measured ELSE 0 END) AS failed_131049,
                sum(CASE WHEN \(failed) AND \(code(131050)) THEN measured ELSE 0 END) AS failed_131050
              FROM tally GROUP BY cohort, variant
            ),
            replied AS (
              SELECT m.cohort, m.variant, \(count("r.last >= \(at)")) AS replied,
                \(count("r.clicked >= \(at)")) AS clicked
              FROM (SELECT contact_id, max(received_at) AS last,
                      max(CASE WHEN button <> 0 THEN received_at END) AS clicked
                    FROM inbound_messages
                    WHERE channel = \(Channel.whatsapp.quoted) AND contact_id IS NOT NULL GROUP BY contact_id) r
              JOIN wave_messages m ON m.contact_id = r.contact_id AND m.wave = $1
              WHERE \(isMeasured)
              GROUP BY m.cohort, m.variant
            ),
            stopped AS (
              SELECT m.cohort, m.variant,
                \(count("s.typed >= \(at) OR s.marketing >= \(at)")) AS optout, \(count("s.typed >= \(at)")) AS stop,
                \(count("s.marketing >= \(at)")) AS marketing_stop
              FROM (SELECT address,
                      max(CASE WHEN \(marketing) THEN NULL ELSE COALESCE(at, recorded_at) END) AS typed,
                      max(CASE WHEN \(marketing) THEN COALESCE(at, recorded_at) END) AS marketing
                    FROM consent_events WHERE event = 'opt_out' AND channel = \(Channel.whatsapp.quoted)
                    GROUP BY address) s
              JOIN wave_messages m ON m.e164 = s.address AND m.wave = $1
              WHERE \(isMeasured)
              GROUP BY m.cohort, m.variant
            ),
            blocked AS (
              SELECT m.cohort, m.variant, count(*) AS blocked
              FROM wave_messages m JOIN registrations g ON g.e164 = m.e164
              WHERE m.wave = $1 AND m.error_code IS NOT NULL AND g.wa_id IS NOT NULL
                AND \(isMeasured)
                AND \(failed) AND \(code(131026))
              GROUP BY m.cohort, m.variant
            )
            SELECT \(withTally ? cellKind : "")
              \(cells)
            FROM counts c
            LEFT JOIN replied r ON r.cohort = c.cohort AND r.variant = c.variant
            LEFT JOIN stopped s ON s.cohort = c.cohort AND s.variant = c.variant
            LEFT JOIN blocked b ON b.cohort = c.cohort AND b.variant = c.variant
            \(tallyRows)
            """
    }

    /// A wave's messages counted by cohort, variant, state, delivery, error code and reason
    /// (`n`), and how many of the sent ones went out at or before `$2` (`measured`): all of
    /// them but the recent ones. `wave status` and the rollout's counts both start from it.
    static let rolloutTallySQL = """
        WITH every AS (
          SELECT cohort, variant, state, delivery, error_code, reason, count(*) AS n FROM wave_messages
          WHERE wave = $1 GROUP BY cohort, variant, state, delivery, error_code, reason
        ),
        recent AS MATERIALIZED (
          SELECT cohort, variant, state, delivery, error_code, reason, count(*) AS n
          FROM wave_messages WHERE wave = $1 AND COALESCE(sent_at, sending_at) > $2
          GROUP BY cohort, variant, state, delivery, error_code, reason
        )
        SELECT e.cohort, e.variant, e.state, e.delivery, e.error_code, e.reason, e.n,
          CASE WHEN e.state IN (\(MessageState.sent.quoted), \(MessageState.failed.quoted)) THEN e.n - COALESCE(r.n, 0)
            ELSE 0 END AS measured
        FROM every e LEFT JOIN recent r ON r.cohort = e.cohort AND r.variant = e.variant AND r.state = e.state
          AND r.delivery IS NOT DISTINCT FROM e.delivery AND r.error_code IS NOT DISTINCT FROM e.error_code
          AND r.reason IS NOT DISTINCT FROM e.reason
        """

    /// The wave's status and its rollout's cells from one pass over the wave: the cells'
    /// query with the tally's rows after them (`kind` tells them apart).
    public func rolloutCounts(_ wave: String, measuredBefore cutoff: Int64) throws -> RolloutCounts {
        let record = try self.wave(wave)
        return try read {
            var counts = RolloutCounts(report: try waveReport(record), cells: [])
            let rows = try connection.execute(Self.rolloutCellsSQL(withTally: true), [wave, cutoff])
            let at = RolloutCellColumns(rows)
            let (kind, state, delivery, errorCode, reason, n) = (
                rows.column("kind"), rows.column("state"), rows.column("delivery"), rows.column("error_code"),
                rows.column("reason"), rows.column("n")
            )
            for index in 0..<rows.count {
                if rows.string(index, kind) == "tally" {
                    counts.report.add(
                        count: rows.int(index, n) ?? 0, state: rows.string(index, state) ?? "",
                        delivery: rows.string(index, delivery), errorCode: rows.string(index, errorCode),
                        reason: rows.string(index, reason))
                } else {
                    counts.cells.append(at.cell(rows, index))
                }
            }
            counts.cells.sort { ($0.cohort, $0.variant) < ($1.cohort, $1.variant) }
            return counts
        }
    }

    public func rolloutCells(_ wave: String, measuredBefore cutoff: Int64) throws -> [RolloutCell] {
        try read {
            let rows = try connection.execute(Self.rolloutCellsSQL(), [wave, cutoff])
            let at = RolloutCellColumns(rows)
            return (0..<rows.count).map { at.cell(rows, $0) }
        }
    }
}

/// Where the cells' columns stand in a result of `rolloutCellsSQL`, found once.
private struct RolloutCellColumns {
    let cohort, variant, planned, holdout, measured, waiting: Int32
    let signals: [(RolloutSignal, Int32)]

    init(_ rows: PostgresRows) {
        (cohort, variant, planned, holdout) = (
            rows.column("cohort"), rows.column("variant"), rows.column("planned"), rows.column("holdout")
        )
        (measured, waiting) = (rows.column("measured"), rows.column("waiting"))
        signals = RolloutSignal.allCases.map { ($0, rows.column($0.rawValue)) }
    }

    func cell(_ rows: PostgresRows, _ row: Int) -> RolloutCell {
        var counts = SignalCounts(measured: rows.int(row, measured) ?? 0, waiting: rows.int(row, waiting) ?? 0)
        for (signal, at) in signals { counts.counts[signal] = rows.int(row, at) ?? 0 }
        return RolloutCell(
            cohort: rows.int(row, cohort) ?? 0, variant: rows.string(row, variant) ?? "",
            planned: rows.int(row, planned) ?? 0, holdout: rows.int(row, holdout) ?? 0, signals: counts)
    }
}
