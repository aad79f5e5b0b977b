import Foundation

/// Dedupe's three tables, loaded aside and swapped in: `<table>_next` is created bare (no
/// index) when dedupe is planned, filled by COPY partition by partition, indexed once
/// (`PostgresSchema.dedupeIndexes`) and renamed over the old table in dedupe's last
/// transaction. Loading into live indexes cost 12 s of a 1M
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

    /// Puts the loaded tables, indexed (`AsideIndexing`), in the old ones' place under the same
    /// names, inside the caller's transaction.
    static func swapIn(_ connection: PostgresConnection) throws {
        for table in tables {
            if let key = table.key {
                try connection.run(
                    "ALTER TABLE \(table.name)_next ADD CONSTRAINT \(table.name)_next_pkey PRIMARY KEY USING INDEX \(table.name)_next_pkey_\(key)"
                )
            }
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

    /// The indexes of the loaded tables, each built in a transaction of its own (the tables are
    /// seen by no one but dedupe's coordinator); one already there (a coordinator started again
    /// after building it) is kept.
    static var indexStatements: [String] {
        tables.compactMap { table in
            table.key.map {
                "CREATE UNIQUE INDEX IF NOT EXISTS \(table.name)_next_pkey_\($0) ON \(table.name)_next(\($0))"
            }
        }
            + PostgresSchema.dedupeIndexes.map {
                $0.create(on: $0.table + "_next", named: $0.name + "_next", ifMissing: true)
            }
    }
}

/// The loaded tables indexed on a connection and thread of their own while dedupe's last
/// transaction records the consent ledger (the two take about as long: 3 and 4 s at 1M rows);
/// that transaction waits for it before `swapIn`.
final class AsideIndexing: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var failure: (any Error)?

    init(_ address: PostgresAddress) {
        Thread { [self] in
            defer { done.signal() }
            do {
                let connection = try PostgresConnection(address)
                for statement in PostgresContactTables.indexStatements { try connection.run(statement) }
            } catch {
                failure = error
            }
        }.start()
    }

    func wait() throws {
        done.wait()
        if let failure { throw failure }
    }
}
