import Foundation
import GRDB
import WamigrateModel

/// The auditor's shared SQL (`AuditSQLReader`) on SQLite, inside the caller's read transaction.
struct SQLiteAuditReader: AuditSQLReader {
    let db: Database

    var byteOrder: String { "" }
    var differs: String { "IS NOT" }

    func rows(_ sql: String, _ arguments: [AuditSQLValue]) throws -> [any AuditSQLRow] {
        try Row.fetchAll(db, sql: sql, arguments: Self.arguments(arguments)).map { SQLiteAuditRow(row: $0) }
    }

    func forEachRow(_ sql: String, _ arguments: [AuditSQLValue], _ visit: (any AuditSQLRow) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: Self.arguments(arguments))
        while let row = try cursor.next() { try visit(SQLiteAuditRow(row: row)) }
    }

    private static func arguments(_ values: [AuditSQLValue]) -> StatementArguments {
        StatementArguments(
            values.map { value -> any DatabaseValueConvertible in
                switch value {
                case .text(let text): return text
                case .integer(let integer): return integer
                }
            })
    }
}

/// A GRDB row read by column name.
struct SQLiteAuditRow: AuditSQLRow {
    let row: Row

    func text(_ column: String) -> String? { row[column] }
    func integer(_ column: String) -> Int64? { row[column] }
}
