import Foundation
import WamigrateModel

/// The auditor's shared SQL (`AuditSQLReader`) on PostgreSQL, inside the caller's transaction:
/// its `?` placeholders become `$1`, `$2`, … and text orders byte by byte (`COLLATE "C"`).
struct PostgresAuditReader: AuditSQLReader {
    let connection: PostgresConnection

    var byteOrder: String { #" COLLATE "C""# }
    var differs: String { "IS DISTINCT FROM" }

    func rows(_ sql: String, _ arguments: [AuditSQLValue]) throws -> [any AuditSQLRow] {
        let rows = try connection.execute(Self.numbered(sql), Self.values(arguments))
        return (0..<rows.count).map { PostgresAuditRow(rows: rows, index: $0) }
    }

    func forEachRow(_ sql: String, _ arguments: [AuditSQLValue], _ visit: (any AuditSQLRow) throws -> Void) throws {
        try connection.forEachBatch(Self.numbered(sql), Self.values(arguments)) { rows in
            for index in 0..<rows.count { try visit(PostgresAuditRow(rows: rows, index: index)) }
        }
    }

    private static func values(_ arguments: [AuditSQLValue]) -> [any PostgresBindable] {
        arguments.map { value -> any PostgresBindable in
            switch value {
            case .text(let text): return text
            case .integer(let integer): return integer
            }
        }
    }

    /// `?` → `$n`, in order, outside quoted literals and names.
    static func numbered(_ sql: String) -> String {
        var out = ""
        var count = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                out.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                out.append(character)
            } else if character == "?" {
                count += 1
                out += "$\(count)"
            } else {
                out.append(character)
            }
        }
        return out
    }
}

/// A row of a result, read by column name.
struct PostgresAuditRow: AuditSQLRow {
    let rows: PostgresRows
    let index: Int

    func text(_ column: String) -> String? { rows.string(index, rows.column(column)) }
    func integer(_ column: String) -> Int64? { rows.int64(index, rows.column(column)) }
}
