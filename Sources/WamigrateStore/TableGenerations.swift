import Foundation
import GRDB

/// Which tables each write transaction changed, and a generation per table bumped
/// before the transaction commits (`table_generations`): what lets a kept query result
/// (`QueryMemo`) tell that the tables it read are unchanged. GRDB asks an observer,
/// statement by statement, whether it wants that statement's row events; this one notes
/// the table and says no, so no row is ever reported to it one by one.
///
/// Statements stepped through `BulkStatement` bypass GRDB: they are prepared with
/// `makeBulkStatement`, which notes their table with the connection's generations at once.
/// The e2e `aKeptResultServesOnlyWhileItsTablesAreUnchanged` checks, after a run, a campaign
/// with replies, `import` and `run --force`, that every table whose rows changed was bumped.
/// Writers outside this tool (the `sqlite3` shell, a build older than the `v18-report-memo`
/// migration) bump nothing: `report --fresh` is for them.
final class TableGenerations: TransactionObserver {
    private var changed: Set<String> = []

    /// Tables whose writes change no result a query keeps.
    private static let bookkeeping: Set<String> = ["table_generations", "report_memo"]

    /// Each writer connection's generations, for statements prepared to bypass GRDB.
    private static let lock = NSLock()
    nonisolated(unsafe) private static var byConnection: [OpaquePointer: WeakGenerations] = [:]

    private struct WeakGenerations {
        weak var generations: TableGenerations?
    }

    /// Makes this the generations that `makeBulkStatement` on `db`'s connection notes to.
    func register(for db: Database) {
        guard let connection = db.sqliteConnection else { return }
        Self.lock.withLock { Self.byConnection[connection] = WeakGenerations(generations: self) }
    }

    /// Notes the table a bulk statement writes (INSERT, REPLACE, UPDATE or DELETE).
    static func noteBulkWrite(sql: String, on db: Database) {
        guard let connection = db.sqliteConnection,
            let generations = lock.withLock({ byConnection[connection]?.generations }),
            let table = writtenTable(sql)
        else { return }
        generations.changed.insert(table)
    }

    /// `INSERT OR IGNORE INTO temp.t (…)` → `t`.
    static func writtenTable(_ sql: String) -> String? {
        let words = sql.split(whereSeparator: { $0.isWhitespace || $0 == "(" }).map { $0.lowercased() }
        var index = 0
        func skip(_ word: String) -> Bool {
            guard index < words.count, words[index] == word else { return false }
            index += 1
            return true
        }
        if skip("insert") || skip("replace") || skip("update") {
            if skip("or") { index += 1 }
            _ = skip("into")
        } else if skip("delete") {
            _ = skip("from")
        } else {
            return nil
        }
        guard index < words.count else { return nil }
        let name = words[index].split(separator: ".").last.map(String.init) ?? words[index]
        return name.trimmingCharacters(in: CharacterSet(charactersIn: "\"`[]"))
    }

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

extension Database {
    /// A statement for `BulkStatement`, which steps it past GRDB's observation: its table is
    /// noted with this connection's `TableGenerations` now, so the write still bumps it.
    func makeBulkStatement(sql: String) throws -> Statement {
        let statement = try makeStatement(sql: sql)
        TableGenerations.noteBulkWrite(sql: sql, on: self)
        return statement
    }
}
