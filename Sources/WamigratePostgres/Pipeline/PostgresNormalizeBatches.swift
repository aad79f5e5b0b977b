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
        try workOnNextUnit(
            of: "normalize_batches", plan: "normalize_plan", fingerprint: plan.fingerprint, bounds: ("first_row", "last_row"),
            worker: worker
        ) { first, last in
            let cells = try Self.cells(connection, where: "id BETWEEN $1 AND $2 ORDER BY id", [first, last])
            let tables = PostgresNormalizedTables(connection)
            let report = try work(cells, tables)
            try tables.flush()
            return String(decoding: report, as: UTF8.self)
        }
    }

    public func normalizeProgress() throws -> BatchProgress { try progress(of: "normalize_batches") }

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
