import Foundation
import GRDB
import WamigrateBase

/// Where a job stands: per stage its last run and counts, rejections by reason,
/// and the books. `wamigrate status` prints it.
public struct StatusReport: Codable, Sendable {
    public struct StageStatus: Codable, Sendable {
        public var stage: String
        public var ran: Bool
        public var finishedAt: String?
        public var runID: Int64?
        public var rowsIn: Int?
        public var rowsOut: Int?
    }

    public var store: String
    public var stages: [StageStatus]
    public var rejectedByReason: [String: Int]
    public var contacts: Int
    public var viberOnlyContacts: Int
    public var conflicts: [String: Int]
    public var lastRun: LastRun?
    public var books: Books
    /// Contacts with a number by WhatsApp status, batches not yet answered, and the import lists.
    public var whatsappStatus: [String: Int] = [:]
    public var openBatches = 0
    public var lists: [String: Int] = [:]
    /// Rows whose reading an auditor should review, by flag: `ambiguous_international`,
    /// `ambiguous_national`, `national_fallback`, `unknown_country` (zero counts omitted).
    public var review: [String: Int] = [:]

    public struct LastRun: Codable, Sendable {
        public var id: Int64
        public var command: String
        public var status: String
        public var dryRun: Bool
        public var startedAt: String
        public var finishedAt: String?
    }

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

    /// The row flags (Phone's `PhoneFlag` raw values, checked by a test) that mark a
    /// reading an auditor should review.
    public static let reviewFlags = ["ambiguous_international", "ambiguous_national", "national_fallback", "unknown_country"]

    /// Plain text for people.
    public var text: String {
        var lines = ["store: \(store)"]
        if let run = lastRun {
            lines.append("last run: #\(run.id) \(run.status)\(run.dryRun ? " (dry run)" : "") started \(run.startedAt)")
        }
        for stage in stages {
            if stage.ran {
                lines.append(
                    "  \(stage.stage.padding(toLength: 10, withPad: " ", startingAt: 0)) rows in \(stage.rowsIn ?? 0) → out \(stage.rowsOut ?? 0)  (run #\(stage.runID ?? 0), \(stage.finishedAt ?? ""))"
                )
            } else {
                lines.append("  \(stage.stage.padding(toLength: 10, withPad: " ", startingAt: 0)) not run")
            }
        }
        if !rejectedByReason.isEmpty {
            lines.append("rejected by reason:")
            for (reason, count) in rejectedByReason.sorted(by: { $0.key < $1.key }) { lines.append("  \(reason): \(count)") }
        }
        if !review.isEmpty {
            lines.append(
                "readings to review (flagged on the row; see `trace`): "
                    + Self.reviewFlags.compactMap { flag in review[flag].map { "\(flag) \($0)" } }
                    .joined(separator: ", "))
        }
        lines.append("contacts: \(contacts) with a number, \(viberOnlyContacts) Viber-only")
        if !conflicts.isEmpty {
            lines.append(
                "conflicts flagged: "
                    + conflicts.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if stages.contains(where: { $0.stage == Stage.verify.rawValue && $0.ran }) {
            lines.append(
                "whatsapp: "
                    + RegistrationStatus.allCases.map { "\($0.rawValue) \(whatsappStatus[$0.rawValue] ?? 0)" }
                    .joined(separator: ", "))
        }
        if openBatches > 0 {
            lines.append("verify: \(openBatches) batches not yet answered; run verify again to finish them")
        }
        if !lists.isEmpty {
            lines.append(
                "lists: "
                    + ImportList.allCases.map { "\($0.rawValue) \(lists[$0.rawValue] ?? 0)" }.joined(separator: ", "))
        }
        lines.append(books.line)
        return lines.joined(separator: "\n")
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
