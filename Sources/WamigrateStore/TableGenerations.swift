import GRDB

/// Which tables each write transaction changed, and a generation per table bumped
/// before the transaction commits (`table_generations`): what lets a kept query result
/// (`QueryMemo`) tell that the tables it read are unchanged. GRDB asks an observer,
/// statement by statement, whether it wants that statement's row events; this one notes
/// the table and says no, so no row is ever reported to it one by one.
///
/// Statements stepped through `BulkStatement` bypass GRDB: every transaction that bulk
/// writes a table also clears or rewrites it through GRDB today (a stage's `DELETE FROM`,
/// the wa_id reconciler's `DELETE FROM contacts`), and the e2e
/// `aKeptResultServesOnlyWhileItsTablesAreUnchanged` checks, after a run, a campaign with
/// replies, `import` and `run --force`, that every table whose rows changed was bumped. A new
/// bulk writer must keep that true. Writers outside this tool (the `sqlite3` shell, a build
/// older than the `v18-report-memo` migration) bump nothing: `report --fresh` is for them.
final class TableGenerations: TransactionObserver {
    private var changed: Set<String> = []

    /// Tables whose writes change no result a query keeps.
    private static let bookkeeping: Set<String> = ["table_generations", "report_memo"]

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        changed.insert(eventKind.tableName.lowercased())
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidCommit(_ db: Database) { changed.removeAll() }
    func databaseDidRollback(_ db: Database) { changed.removeAll() }

    /// Bumps the generation of every table changed since the transaction began; called
    /// last inside each write transaction.
    func bump(_ db: Database) throws {
        let names = changed.subtracting(Self.bookkeeping).sorted()
        changed.removeAll()
        for name in names {
            try db.execute(
                sql: """
                    INSERT INTO table_generations (name, generation) VALUES (?, 1)
                    ON CONFLICT (name) DO UPDATE SET generation = generation + 1
                    """, arguments: [name])
        }
    }

    /// Every table's generation now (a table never written has none: generation 0).
    static func current(_ db: Database) throws -> [String: Int64] {
        var generations: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, generation FROM table_generations") {
            generations[row[0]] = row[1]
        }
        return generations
    }
}
