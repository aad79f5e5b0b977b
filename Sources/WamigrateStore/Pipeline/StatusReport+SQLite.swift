import Foundation
import GRDB
import WamigrateBase

/// `status` on a SQLite store.
extension StatusReport {
    public static func load(storePath: String) throws -> StatusReport {
        let store = try JobStore(existingAt: storePath)
        return try store.read { db in
            var stages: [StageStatus] = []
            for stage in Stage.allCases {
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT finished_at, run_id, rows_in, rows_out FROM stage_runs WHERE stage = ? ORDER BY id DESC LIMIT 1
                        """, arguments: [stage.rawValue])
                stages.append(
                    StageStatus(
                        stage: stage.rawValue, ran: row != nil, finishedAt: row?["finished_at"], runID: row?["run_id"],
                        rowsIn: row?["rows_in"], rowsOut: row?["rows_out"]))
            }
            let reasons = try SQLRequest<WordCount>(
                """
                SELECT reason AS word, COUNT(*) AS count FROM normalized_rows WHERE outcome = \(RowOutcome.rejected)
                GROUP BY reason ORDER BY reason
                """
            ).fetchAll(db)
            let conflicts = try WordCount.fetchAll(db, sql: "SELECT kind AS word, COUNT(*) AS count FROM conflicts GROUP BY kind")
            let last = try LastRun.fetchOne(
                db, sql: "SELECT id, command, status, dry_run, started_at, finished_at FROM runs ORDER BY id DESC LIMIT 1")
            let statuses = try SQLRequest<WordCount>(
                """
                SELECT COALESCE(r.status, \(RegistrationStatus.unknown)) AS word, COUNT(*) AS count FROM contacts c
                LEFT JOIN registrations r ON r.e164 = c.e164 WHERE c.e164 IS NOT NULL GROUP BY 1
                """
            ).fetchAll(db)
            let lists = try WordCount.fetchAll(db, sql: "SELECT list AS word, COUNT(*) AS count FROM import_lists GROUP BY list")
            var report = StatusReport(
                store: storePath, stages: stages,
                rejectedByReason: Dictionary(uniqueKeysWithValues: reasons.map { ($0.word, $0.count) }),
                contacts: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts WHERE e164 IS NOT NULL") ?? 0,
                viberOnlyContacts: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts WHERE e164 IS NULL") ?? 0,
                conflicts: Dictionary(uniqueKeysWithValues: conflicts.map { ($0.word, $0.count) }),
                lastRun: last,
                books: try Books.compute(db))
            report.whatsappStatus = Dictionary(uniqueKeysWithValues: statuses.map { ($0.word, $0.count) })
            report.openBatches =
                try SQLRequest<Int>("SELECT COUNT(*) FROM verify_batches WHERE state != \(VerifyBatchState.done)").fetchOne(db)
                ?? 0
            // Every list, zeros included: a script reading --json finds each key.
            report.lists = Dictionary(uniqueKeysWithValues: ImportList.allCases.map { ($0.rawValue, 0) })
            for row in lists { report.lists[row.word] = row.count }
            for flag in Self.reviewFlags {
                let count =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM normalized_rows WHERE ',' || flags || ',' LIKE ?",
                        arguments: ["%," + flag + ",%"]) ?? 0
                if count > 0 { report.review[flag] = count }
            }
            return report
        }
    }

}

extension StatusReport.LastRun: FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.storeColumns
}

/// A `GROUP BY` row: the word (`AS word`) and how many rows had it (`AS count`).
private struct WordCount: Decodable, FetchableRecord {
    var word: String
    var count: Int
}
