import Foundation
import WamigrateModel

/// The books on PostgreSQL: the same queries as on SQLite (`Books.counted`); the rows in the
/// wrong place counted by joins (the server joins the row tables by hash, no ordered walk).
extension PostgresJobStore {
    public func books() throws -> Books { try read { try countBooks() } }

    /// The books, inside the caller's transaction.
    func countBooks() throws -> Books {
        func count(_ sql: String) throws -> Int { try connection.execute(sql).scalarInt ?? 0 }
        return try Books.counted(count) {
            let doubled = try count(
                """
                SELECT COUNT(*) FROM contact_rows c JOIN normalized_rows n ON n.row_id = c.row_id
                WHERE n.outcome IN \(Books.contactless)
                """)
            let orphans = try count(
                """
                SELECT COUNT(*) FROM normalized_rows n WHERE n.outcome NOT IN \(Books.contactless)
                AND NOT EXISTS (SELECT 1 FROM contact_rows c WHERE c.row_id = n.row_id)
                """)
            return (doubled, orphans)
        }
    }
}
