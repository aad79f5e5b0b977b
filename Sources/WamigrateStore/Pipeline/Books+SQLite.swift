import GRDB
import WamigrateModel

extension Books {
    static func compute(_ db: Database) throws -> Books {
        try counted({ try Int.fetchOne(db, sql: $0) ?? 0 }, doubledAndOrphans: { try rowsAndContacts(db) })
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
