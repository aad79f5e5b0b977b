import Foundation
import GRDB
import Testing
import WamigrateTestSupport

@testable import WamigrateStore

/// A table's generation follows every write the tool makes to it, the million-row loops
/// that step statements past GRDB included: what lets the report trust a kept result.
@Suite("Store: table generations")
struct TableGenerationsTests {
    func generation(_ store: JobStore, _ table: String) throws -> Int {
        try store.read { db in
            try Int.fetchOne(db, sql: "SELECT generation FROM table_generations WHERE name = ?", arguments: [table]) ?? 0
        }
    }

    @Test func aBulkWriteBumpsItsTableAsAStatementThroughGRDBDoes() throws {
        let folder = TempFolder()
        let store = try JobStore(path: folder.file("job.sqlite"), command: "store-tests")
        let conflicts = try generation(store, "conflicts")
        try store.write { db in
            var bulk = BulkStatement(
                try db.makeBulkStatement(sql: "INSERT INTO conflicts (contact_id, kind, row_ids) VALUES (?, ?, ?)"))
            bulk.bind("c1")
            bulk.bind("name")
            bulk.bind("1,2")
            try bulk.step()
        }
        #expect(try generation(store, "conflicts") == conflicts + 1)
        // The same through GRDB, and a transaction that changes nothing there leaves it.
        try store.write { db in try db.execute(sql: "DELETE FROM conflicts") }
        #expect(try generation(store, "conflicts") == conflicts + 2)
        try store.write { db in try db.execute(sql: "UPDATE job SET default_region = 'DE'") }
        #expect(try generation(store, "conflicts") == conflicts + 2)
        #expect(try generation(store, "job") > 0)
    }

    @Test func theWrittenTableIsReadFromTheStatement() {
        let cases: [(String, String?)] = [
            ("INSERT INTO contacts (a) VALUES (?)", "contacts"),
            ("insert or ignore into temp.export_consent(a) values (?)", "export_consent"),
            ("UPDATE contacts SET a = ? WHERE id = ?", "contacts"),
            ("UPDATE OR REPLACE \"import_lists\" SET a = 1", "import_lists"),
            ("DELETE FROM contact_rows WHERE row_id = ?", "contact_rows"),
            ("REPLACE INTO registrations VALUES (?)", "registrations"),
            ("SELECT * FROM contacts", nil),
        ]
        for (sql, table) in cases { #expect(TableGenerations.writtenTable(sql) == table, "\(sql)") }
    }
}
