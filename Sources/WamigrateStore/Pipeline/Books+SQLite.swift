import GRDB
import WamigrateModel

extension Books {
    /// The queries behind each total, for the report.
    public static let queries = [
        "rows_in": "SELECT COUNT(*) FROM input_rows",
        "kept": "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.kept.quoted)",
        "merged": "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.merged.quoted)",
        "rejected": "SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.rejected.quoted)",
        "review": "SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.review.quoted)",
    ]

    /// Outcomes that end a row before dedupe: it becomes no contact.
    static let contactless = "(\(RowOutcome.rejected.quoted), \(RowOutcome.review.quoted))"

    static func compute(_ db: Database) throws -> Books {
        func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
        var c = Counts()
        c.rowsIn = try count(queries["rows_in"]!)
        c.normalized = try count("SELECT COUNT(*) FROM normalized_rows")
        c.rejected = try count(queries["rejected"]!)
        c.review = try count(queries["review"]!)
        c.kept = try count(queries["kept"]!)
        c.merged = try count(queries["merged"]!)
        c.deduped = try count("SELECT COUNT(*) FROM stage_runs WHERE stage = \(Stage.dedupe.quoted)") > 0
        c.normalizeRan = try count("SELECT COUNT(*) FROM stage_runs WHERE stage = \(Stage.normalize.quoted)") > 0
        c.doubled = try count(
            """
            SELECT COUNT(*) FROM contact_rows c JOIN normalized_rows n ON n.row_id = c.row_id
            WHERE n.outcome IN \(contactless)
            """)
        c.orphans =
            c.deduped
            ? try count(
                """
                SELECT COUNT(*) FROM normalized_rows n LEFT JOIN contact_rows c ON c.row_id = n.row_id
                WHERE n.outcome NOT IN \(contactless) AND c.row_id IS NULL
                """) : 0
        c.strays = try count(
            "SELECT COUNT(*) FROM contact_rows c LEFT JOIN input_rows r ON r.id = c.row_id WHERE r.id IS NULL")
        return Books(counts: c)
    }
}

extension JobStore {
    /// The books as the store holds them now.
    public func books() throws -> Books { try read { try Books.compute($0) } }
}
