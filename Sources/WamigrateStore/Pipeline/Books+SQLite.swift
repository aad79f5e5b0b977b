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
        (c.doubled, c.orphans) = try rowsAndContacts(db)
        if !c.deduped { c.orphans = 0 }
        c.strays = try count(
            "SELECT COUNT(*) FROM contact_rows c LEFT JOIN input_rows r ON r.id = c.row_id WHERE r.id IS NULL")
        return Books(counts: c)
    }

    /// Rows in a contact although normalize ended them (`doubled`: each contact row counts),
    /// and rows normalize passed that are in no contact (`orphans`), in one walk of both
    /// tables in row order: the same counts as joining them, which probed one table's index
    /// once per row of the other (0.5 s of a 1M store's report).
    static func rowsAndContacts(_ db: Database) throws -> (doubled: Int, orphans: Int) {
        let linked = try Int64.fetchCursor(db, sql: "SELECT row_id FROM contact_rows ORDER BY row_id")
        let rows = try Row.fetchCursor(
            db, sql: "SELECT row_id, outcome IN \(contactless) FROM normalized_rows ORDER BY row_id")
        var (doubled, orphans) = (0, 0)
        var next = try linked.next()
        while let row = try rows.next() {
            let id: Int64 = row[0]
            while let link = next, link < id { next = try linked.next() }
            var contacts = 0
            while let link = next, link == id {
                contacts += 1
                next = try linked.next()
            }
            if row[1] as Bool {
                doubled += contacts
            } else if contacts == 0 {
                orphans += 1
            }
        }
        return (doubled, orphans)
    }
}

extension JobStore {
    /// The books as the store holds them now.
    public func books() throws -> Books { try read { try Books.compute($0) } }
}
