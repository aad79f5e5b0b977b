import Foundation
import GRDB
import WamigrateModel

/// The report's queries on SQLite, in the read transaction of `db`: the figures' through the
/// memo (a kept result while its tables are unchanged), the notes' and samples' beside them
/// read as they are.
struct SQLiteReportReader: ReportQueryReader {
    let db: Database
    let memo: QueryMemo

    var dialect: StoreEngineName { .sqlite }

    var queryUse: AuditReport.QueryUse { .init(asked: memo.asked, fromKeptResults: memo.reused) }

    func figureRows(_ sql: String, _ arguments: [String]) throws -> [ReportRow] {
        let (columns, rows) = try memo.table(db, sql, StatementArguments(arguments))
        return rows.map { ReportRow(columns: columns, values: $0.map(Self.text)) }
    }

    func rows(_ sql: String, _ arguments: [String]) throws -> [ReportRow] {
        let statement = try db.makeStatement(sql: sql)
        let columns = statement.columnNames
        return try Row.fetchAll(statement, arguments: StatementArguments(arguments)).map { row in
            ReportRow(columns: columns, values: (0..<columns.count).map { Self.text(row[$0] as DatabaseValue) })
        }
    }

    /// Every feature's tables are in the SQLite schema.
    func hasTable(_ table: String) throws -> Bool { true }

    func rolloutCellsQuery(wave: String, cutoff: Int64) -> String {
        JobStore.rolloutCellsSQL().replacingOccurrences(of: ":cutoff", with: String(cutoff))
            .replacingOccurrences(of: ":wave", with: AuditSections.literal(wave))
    }

    func holdoutLegacyQuery(wave: String) -> String {
        JobStore.holdoutLegacySQL.replacingOccurrences(of: ":wave", with: AuditSections.literal(wave))
    }

    /// A value as `sqlite3` prints it (nil: NULL).
    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let int): String(int)
        case .double(let double): String(double)
        case .string(let string): string
        case .blob(let data): String(decoding: data, as: UTF8.self)
        }
    }
}
