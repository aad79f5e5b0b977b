import Foundation
import WamigrateModel

/// `status` on a PostgreSQL job: the same report as on SQLite (the books, the batches and the
/// rest each read in a snapshot of their own), with the
/// batches of a shared normalize and the partitions of a shared dedupe (the coordinator's
/// progress view).
extension PostgresJobStore {
    public func status() throws -> StatusReport {
        let books = try self.books()
        let batches = try normalizeProgress()
        let partitions = try dedupeProgress()
        return try read {
            var stages: [StatusReport.StageStatus] = []
            for stage in Stage.allCases {
                let row = try connection.execute(
                    "SELECT finished_at, run_id, rows_in, rows_out FROM stage_runs WHERE stage = $1 ORDER BY id DESC LIMIT 1",
                    [stage])
                stages.append(
                    StatusReport.StageStatus(
                        stage: stage.rawValue, ran: row.count == 1, finishedAt: row.count == 1 ? row.string(0, 0) : nil,
                        runID: row.count == 1 ? row.int64(0, 1) : nil, rowsIn: row.count == 1 ? row.int(0, 2) : nil,
                        rowsOut: row.count == 1 ? row.int(0, 3) : nil))
            }
            func counts(_ sql: String, _ values: [any PostgresBindable] = []) throws -> [String: Int] {
                let rows = try connection.execute(sql, values)
                var counts: [String: Int] = [:]
                for index in 0..<rows.count { counts[rows.string(index, 0) ?? ""] = rows.int(index, 1) ?? 0 }
                return counts
            }
            func count(_ sql: String) throws -> Int { try connection.execute(sql).scalarInt ?? 0 }
            let last = try connection.execute(
                "SELECT id, command, status, dry_run, started_at, finished_at FROM runs ORDER BY id DESC LIMIT 1")
            var report = StatusReport(
                store: path, stages: stages,
                rejectedByReason: try counts(
                    "SELECT reason, COUNT(*) FROM normalized_rows WHERE outcome = $1 GROUP BY reason", [RowOutcome.rejected]),
                contacts: try count("SELECT COUNT(*) FROM contacts WHERE e164 IS NOT NULL"),
                viberOnlyContacts: try count("SELECT COUNT(*) FROM contacts WHERE e164 IS NULL"),
                conflicts: try counts("SELECT kind, COUNT(*) FROM conflicts GROUP BY kind"),
                lastRun: last.count == 1
                    ? StatusReport.LastRun(
                        id: last.int64(0, 0) ?? 0, command: last.string(0, 1) ?? "", status: last.string(0, 2) ?? "",
                        dryRun: last.int(0, 3) == 1, startedAt: last.string(0, 4) ?? "", finishedAt: last.string(0, 5))
                    : nil,
                books: books)
            report.whatsappStatus = try counts(
                """
                SELECT COALESCE(r.status, $1), COUNT(*) FROM contacts c
                LEFT JOIN registrations r ON r.e164 = c.e164 WHERE c.e164 IS NOT NULL GROUP BY 1
                """, [RegistrationStatus.unknown])
            report.lists = Dictionary(uniqueKeysWithValues: ImportList.allCases.map { ($0.rawValue, 0) })
            report.lists.merge(try counts("SELECT list, COUNT(*) FROM import_lists GROUP BY list")) { $1 }
            for flag in StatusReport.reviewFlags {
                let flagged =
                    try connection.execute(
                        "SELECT COUNT(*) FROM normalized_rows WHERE ',' || flags || ',' LIKE $1", ["%," + flag + ",%"]
                    ).scalarInt ?? 0
                if flagged > 0 { report.review[flag] = flagged }
            }
            if batches.batches > 0 { report.normalizeBatches = batches }
            if partitions.batches > 0 { report.dedupePartitions = partitions }
            return report
        }
    }
}
