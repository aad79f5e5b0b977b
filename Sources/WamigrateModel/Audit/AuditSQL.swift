import Foundation

/// A value bound to a `?` of the auditor's shared SQL.
public enum AuditSQLValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
}

/// A result row of the auditor's shared SQL, its columns read by name.
public protocol AuditSQLRow {
    func text(_ column: String) -> String?
    func integer(_ column: String) -> Int64?
}

extension AuditSQLRow {
    public func int(_ column: String) -> Int? { integer(column).map(Int.init) }
}

/// One read transaction of an engine, answering the SQL `trace`, `diff` and the run manifest
/// share: said once in the model (as `PipelineQueries` are), with `?` placeholders, the
/// engine's spelling only where the dialects differ. Both engines thus read the same rows in
/// the same order and the model assembles them alike.
public protocol AuditSQLReader {
    /// Appended to a text expression to order it byte by byte (`PipelineQueries.byteOrder`).
    var byteOrder: String { get }
    /// The null-safe "differs" operator: `IS NOT` on SQLite, `IS DISTINCT FROM` on PostgreSQL.
    var differs: String { get }
    /// Every row of `sql`, kept.
    func rows(_ sql: String, _ arguments: [AuditSQLValue]) throws -> [any AuditSQLRow]
    /// Streams the rows of `sql` in bounded memory; a row is valid only during its visit.
    func forEachRow(_ sql: String, _ arguments: [AuditSQLValue], _ visit: (any AuditSQLRow) throws -> Void) throws
}

extension AuditSQLReader {
    public func row(_ sql: String, _ arguments: [AuditSQLValue] = []) throws -> (any AuditSQLRow)? {
        try rows(sql, arguments).first
    }

    /// The first column of the first row, as text.
    public func text(_ sql: String, _ arguments: [AuditSQLValue] = [], column: String) throws -> String? {
        try row(sql, arguments)?.text(column)
    }

    /// The first row's `column` as an integer (`COUNT(*) AS n` and the like).
    public func integer(_ sql: String, _ arguments: [AuditSQLValue] = [], column: String) throws -> Int64? {
        try row(sql, arguments)?.integer(column)
    }

    /// The job's sources as this store holds them.
    public func lineage() throws -> Lineage {
        var paths: [Int64: String] = [:]
        for row in try rows("SELECT id, path FROM sources", []) {
            if let id = row.integer("id"), let path = row.text("path") { paths[id] = path }
        }
        return Lineage(paths: paths)
    }
}
