import Foundation
import GRDB
import WamigrateModel

/// The report's query results, kept in the store (`report_memo`) with the generation of
/// every table each query reads (`TableGenerations`). The run records them at its end, on
/// the connection that writes its output files; `report` reuses a result only while every
/// table its query reads is at the generation it was read at, and runs the query again
/// otherwise. So a figure is always what its query gives on the store as it is now.
final class QueryMemo {
    enum Mode {
        /// Every query runs; nothing is looked up or kept.
        case live
        /// Every query runs and its result is kept in `recorded`.
        case record
        /// A kept result is used while its tables are unchanged; other queries run.
        case replay
    }

    /// One query's result: column names and rows of values.
    struct Result: Codable {
        var token: String
        var columns: [String]
        var rows: [[Cell]]
    }

    enum Cell: Codable, Equatable {
        case null
        case int(Int64)
        case real(Double)
        case text(String)
        case blob(Data)

        init(_ value: DatabaseValue) {
            switch value.storage {
            case .null: self = .null
            case .int64(let int): self = .int(int)
            case .double(let double): self = .real(double)
            case .string(let string): self = .text(string)
            case .blob(let data): self = .blob(data)
            }
        }

        var databaseValue: DatabaseValue {
            switch self {
            case .null: return .null
            case .int(let int): return int.databaseValue
            case .real(let double): return double.databaseValue
            case .text(let string): return string.databaseValue
            case .blob(let data): return data.databaseValue
            }
        }
    }

    let mode: Mode
    private let generations: [String: Int64]
    private let tables: [String]
    private let schema: Int
    private var kept: [String: String] = [:]
    private(set) var recorded: [String: String] = [:]
    private(set) var reused = 0
    private(set) var asked = 0

    /// Runs every query; keeps and reuses nothing. A new one each time: it counts what it is asked.
    static var live: QueryMemo { QueryMemo() }

    private init() {
        mode = .live
        (generations, tables, schema) = ([:], [], 0)
    }

    /// Reads the tables' generations (and, to replay, the kept results) inside `db`'s
    /// read transaction, the one every query of this memo then runs in.
    init(_ db: Database, mode: Mode) throws {
        self.mode = mode
        generations = try TableGenerations.current(db)
        tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        // A migration may rewrite rows behind the generations' back: the schema a result was
        // read under is part of its token.
        schema = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") ?? 0
        if mode == .replay {
            for row in try Row.fetchAll(db, sql: "SELECT query, result_json FROM report_memo") { kept[row[0]] = row[1] }
        }
    }

    /// The columns and rows `sql` gives now: the kept result while its tables are unchanged,
    /// else the query's.
    func table(_ db: Database, _ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> (
        columns: [String], rows: [[DatabaseValue]]
    ) {
        let result = try self.result(db, sql, arguments)
        return (result.columns, result.rows.map { $0.map(\.databaseValue) })
    }

    private func result(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Result {
        asked += 1
        guard mode != .live else { return try Self.run(db, sql, arguments, token: "") }
        let key = arguments.isEmpty ? sql : sql + "\u{1F}" + "\(arguments)"
        let token = try token(db, sql)
        if mode == .replay, let json = kept[key],
            let result = try? JSONDecoder().decode(Result.self, from: Data(json.utf8)), result.token == token
        {
            reused += 1
            return result
        }
        let result = try Self.run(db, sql, arguments, token: token)
        if mode == .record {
            recorded[key] = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        }
        return result
    }

    /// The schema's migrations, then every table the query reads with its generation:
    /// `18;orders:0,users:3`.
    private func token(_ db: Database, _ sql: String) throws -> String {
        let region = try db.makeStatement(sql: sql).databaseRegion
        return "\(schema);"
            + tables.filter { region.isModified(byEventsOfKind: .insert(tableName: $0)) }.sorted()
            .map { "\($0):\(generations[$0.lowercased()] ?? 0)" }.joined(separator: ",")
    }

    private static func run(_ db: Database, _ sql: String, _ arguments: StatementArguments, token: String) throws -> Result {
        let statement = try db.makeStatement(sql: sql)
        let columns = statement.columnNames
        var rows: [[Cell]] = []
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try cursor.next() {
            rows.append((0..<columns.count).map { Cell(row[$0] as DatabaseValue) })
        }
        return Result(token: token, columns: columns, rows: rows)
    }

    /// Keeps recorded results in place of all earlier ones, in `db`'s write transaction.
    static func keep(_ results: [String: String], in db: Database) throws {
        try db.execute(sql: "DELETE FROM report_memo")
        let insert = try db.makeStatement(
            sql: "INSERT OR REPLACE INTO report_memo (query, result_json) VALUES (?, ?)")
        for (query, json) in results { try insert.execute(arguments: [query, json]) }
    }
}
