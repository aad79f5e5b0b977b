import Foundation
import WamigrateModel

/// The books on PostgreSQL: the same counts as the SQLite store's `Books.compute`, each one
/// query (the server joins the row tables by hash; no ordered walk is needed).
extension PostgresJobStore {
    public func books() throws -> Books {
        try read {
            func count(_ sql: String) throws -> Int { try connection.execute(sql).scalarInt ?? 0 }
            let contactless = "(\(RowOutcome.rejected.quoted), \(RowOutcome.review.quoted))"
            var c = Books.Counts()
            c.rowsIn = try count("SELECT COUNT(*) FROM input_rows")
            c.normalized = try count("SELECT COUNT(*) FROM normalized_rows")
            c.rejected = try count("SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.rejected.quoted)")
            c.review = try count("SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.review.quoted)")
            c.kept = try count("SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.kept.quoted)")
            c.merged = try count("SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.merged.quoted)")
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
                    SELECT COUNT(*) FROM normalized_rows n WHERE n.outcome NOT IN \(contactless)
                    AND NOT EXISTS (SELECT 1 FROM contact_rows c WHERE c.row_id = n.row_id)
                    """) : 0
            c.strays = try count(
                "SELECT COUNT(*) FROM contact_rows c LEFT JOIN input_rows r ON r.id = c.row_id WHERE r.id IS NULL")
            return Books(counts: c)
        }
    }
}
