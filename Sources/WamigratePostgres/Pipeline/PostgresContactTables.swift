import Foundation

/// Dedupe's three tables, loaded aside and swapped in: `<table>_next` is created bare (no
/// index), filled by COPY, indexed once (`PostgresSchema.dedupeIndexes`) and renamed over the
/// old table at the end of dedupe's transaction. Loading into live indexes cost 12 s of a 1M
/// dedupe; dropping them instead would lock every reader out for the whole stage, where the
/// swap locks them out only for its last moment.
enum PostgresContactTables {
    static let tables = [(name: "contacts", key: "seq"), (name: "contact_rows", key: nil), (name: "conflicts", key: "id")]

    static func prepareAside(_ connection: PostgresConnection) throws {
        for table in tables {
            try connection.run(
                """
                DROP TABLE IF EXISTS \(table.name)_next;
                CREATE TABLE \(table.name)_next (LIKE \(table.name) INCLUDING DEFAULTS INCLUDING IDENTITY)
                """)
        }
    }

    /// Indexes the loaded tables and puts them in the old ones' place, under the same names.
    static func swapIn(_ connection: PostgresConnection) throws {
        for table in tables {
            if let key = table.key { try connection.run("ALTER TABLE \(table.name)_next ADD PRIMARY KEY (\(key))") }
        }
        for index in PostgresSchema.dedupeIndexes {
            try connection.run(index.create(on: index.table + "_next", named: index.name + "_next"))
        }
        for table in tables {
            try connection.run("DROP TABLE \(table.name); ALTER TABLE \(table.name)_next RENAME TO \(table.name)")
            if table.key != nil {
                try connection.run("ALTER INDEX \(table.name)_next_pkey RENAME TO \(table.name)_pkey")
            }
        }
        for index in PostgresSchema.dedupeIndexes {
            try connection.run("ALTER INDEX \(index.name)_next RENAME TO \(index.name)")
        }
        // A contact added later (a bench seed) goes after the ones dedupe numbered.
        try connection.run(
            """
            SELECT setval(pg_get_serial_sequence('contacts', 'seq'), COALESCE(MAX(seq), 0) + 1, false) FROM contacts;
            ANALYZE contacts; ANALYZE contact_rows; ANALYZE conflicts
            """)
    }
}
