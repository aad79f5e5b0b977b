import Foundation
import WamigrateBase
import WamigrateModel

/// The units several workers claim on a shared stage: normalize's batches and dedupe's
/// partitions, tables with the same columns (`id`, two bounds, `rows`, `state`, `worker`,
/// `finished_at`, `report_json`) beside a one-row plan holding the stage's fingerprint.
extension PostgresJobStore {
    /// Claims the next pending unit of `table` while the plan in `planTable` has `fingerprint`
    /// (`FOR UPDATE SKIP LOCKED`), hands its bounds (columns `bounds`) to `work`, and marks it
    /// done with the report `work` returns, all in one transaction: a worker killed at any point
    /// leaves it pending. False when no unit was free to claim.
    func workOnNextUnit(
        of table: String, plan planTable: String, fingerprint: String, bounds: (String, String), worker: String,
        _ work: (_ first: Int64, _ last: Int64) throws -> String
    ) throws -> Bool {
        try write {
            // A worker that stops answering (stopped, cut off) loses its claim after two minutes.
            // The workers are the parallelism: one server process each, no helpers per query.
            try connection.run(
                "SET LOCAL idle_in_transaction_session_timeout = '120s'; SET LOCAL max_parallel_workers_per_gather = 0")
            let claimed = try connection.execute(
                """
                SELECT id, \(bounds.0), \(bounds.1) FROM \(table)
                WHERE state = 'pending' AND EXISTS (SELECT 1 FROM \(planTable) WHERE fingerprint = $1)
                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                """, [fingerprint])
            guard claimed.count == 1, let id = claimed.int64(0, 0), let first = claimed.int64(0, 1),
                let last = claimed.int64(0, 2)
            else { return false }
            let report = try work(first, last)
            try connection.execute(
                "UPDATE \(table) SET state = 'done', worker = $1, finished_at = $2, report_json = $3 WHERE id = $4",
                [worker, Clock.isoNow(), report, id])
            return true
        }
    }

    /// How far the units of `table` are, and who did them.
    func progress(of table: String) throws -> BatchProgress {
        try read {
            var progress = BatchProgress()
            let totals = try connection.execute(
                """
                SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'done'), COALESCE(SUM(rows), 0),
                       COALESCE(SUM(rows) FILTER (WHERE state = 'done'), 0) FROM \(table)
                """)
            (progress.batches, progress.batchesDone) = (totals.int(0, 0) ?? 0, totals.int(0, 1) ?? 0)
            (progress.rows, progress.rowsDone) = (totals.int(0, 2) ?? 0, totals.int(0, 3) ?? 0)
            let workers = try connection.execute("SELECT worker, COUNT(*) FROM \(table) WHERE state = 'done' GROUP BY worker")
            for index in 0..<workers.count { progress.workers[workers.string(index, 0) ?? "?"] = workers.int(index, 1) ?? 0 }
            return progress
        }
    }
}
