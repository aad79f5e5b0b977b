import Foundation
import WamigrateBase
import WamigrateModel

/// Normalize shared by several workers (`NormalizeBatchStore`): the plan and its batches in
/// `normalize_plan` and `normalize_batches`. A worker claims a batch with
/// `FOR UPDATE SKIP LOCKED` and keeps the row lock for the transaction that writes the batch's
/// rows and marks it done, so a killed worker's batch is free again the moment its connection
/// closes, and a batch's rows are written by one commit only.
extension PostgresJobStore: NormalizeBatchStore {
    public func planNormalize(_ plan: NormalizePlan, size: Int) throws -> BatchProgress {
        try write {
            // Only an unfinished plan is resumed: a recorded normalize is replaced, as on SQLite.
            let kept = try connection.execute(
                """
                SELECT fingerprint FROM normalize_plan
                WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM stage_runs WHERE stage = $1)
                """, [Stage.normalize]
            ).scalarString
            if kept != plan.fingerprint {
                try clear(from: .normalize)
                try connection.execute(
                    "INSERT INTO normalize_plan (id, fingerprint, default_region, planned_at) VALUES (1, $1, $2, $3)",
                    [plan.fingerprint, plan.defaultRegion, Clock.isoNow()])
                // Consecutive ranges of `size` row ids (ids are dense from extract: 1, 2, 3 …).
                try connection.execute(
                    """
                    INSERT INTO normalize_batches (id, first_row, last_row, rows, state)
                    SELECT (id - 1) / $1 + 1, MIN(id), MAX(id), COUNT(*), 'pending' FROM input_rows
                    GROUP BY (id - 1) / $1
                    """, [size])
            }
        }
        return try normalizeProgress()
    }

    public func normalizePlan() throws -> NormalizePlan? {
        try read {
            let rows = try connection.execute("SELECT fingerprint, default_region FROM normalize_plan WHERE id = 1")
            guard rows.count == 1 else { return nil }
            return NormalizePlan(fingerprint: rows.string(0, 0) ?? "", defaultRegion: rows.string(0, 1))
        }
    }

    public func normalizeNextBatch(
        worker: String, plan: NormalizePlan, _ work: ([PhoneCell], any NormalizedTables) throws -> Data
    ) throws -> Bool {
        try write {
            // A worker that stops answering (stopped, cut off) loses its claim after two minutes.
            try connection.run("SET LOCAL idle_in_transaction_session_timeout = '120s'")
            let claimed = try connection.execute(
                """
                SELECT id, first_row, last_row FROM normalize_batches
                WHERE state = 'pending' AND EXISTS (SELECT 1 FROM normalize_plan WHERE fingerprint = $1)
                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                """, [plan.fingerprint])
            guard claimed.count == 1, let id = claimed.int64(0, 0), let first = claimed.int64(0, 1),
                let last = claimed.int64(0, 2)
            else { return false }
            let cells = try Self.cells(connection, where: "id BETWEEN $1 AND $2 ORDER BY id", [first, last])
            let tables = PostgresNormalizedTables(connection)
            let report = try work(cells, tables)
            try tables.flush()
            try connection.execute(
                "UPDATE normalize_batches SET state = 'done', worker = $1, finished_at = $2, report_json = $3 WHERE id = $4",
                [worker, Clock.isoNow(), String(decoding: report, as: UTF8.self), id])
            return true
        }
    }

    public func normalizeProgress() throws -> BatchProgress { try progress(of: "normalize_batches") }

    /// How far the units of a shared stage are (`normalize_batches`, `dedupe_partitions`: the
    /// same columns), and who did them.
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

    public func normalizeBatchReports() throws -> [Data]? {
        try read {
            let rows = try connection.execute("SELECT state, report_json FROM normalize_batches ORDER BY id")
            var reports: [Data] = []
            for index in 0..<rows.count {
                guard rows.string(index, 0) == "done", let json = rows.string(index, 1) else { return nil }
                reports.append(Data(json.utf8))
            }
            return reports
        }
    }

    public func finishNormalize<R: Encodable>(context: StageContext, rowsIn: Int, rowsOut: Int, report: R) throws {
        try write {
            let open = try connection.execute("SELECT COUNT(*) FROM normalize_batches WHERE state != 'done'").scalarInt ?? 0
            guard open == 0 else {
                throw WamigrateError(
                    .worker, "normalize cannot be recorded: \(open) batches are not done",
                    hint: "run `wamigrate normalize` again; it resumes the batches left")
            }
            try analyze("normalized_rows")
            try complete(.normalize, context: context, rowsIn: rowsIn, rowsOut: rowsOut, details: report)
        }
    }
}
