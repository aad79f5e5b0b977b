import GRDB
import GRDBSQLite
import WamigrateBase

/// Binds and steps a GRDB-prepared statement through SQLite's C API, for the
/// million-row loops. GRDB keeps owning the statement; this only borrows it inside
/// the transaction that made it (prepared with `makeBulkStatement`, so the table's
/// generation still follows the write). Measured: GRDB's `execute(arguments:)` spent
/// ~10 % of a whole pipeline run building `StatementArguments` existentials.
public struct BulkStatement {
    public let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    private var index: Int32 = 0

    public init(_ statement: Statement) { self.statement = statement }

    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    public mutating func bind(_ value: String?) {
        index += 1
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            if let base = bytes.baseAddress {
                let text = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
                _ = sqlite3_bind_text(handle, index, text, Int32(bytes.count), Self.transient)
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, nil)
            }
        }
    }

    public mutating func bind(_ value: Int64?) {
        index += 1
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    public mutating func bind(_ value: Int?) { bind(value.map(Int64.init)) }

    /// Runs the statement with what was bound, then resets it for the next row.
    public mutating func step() throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            index = 0
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw WamigrateError(
                .store, "job store insert failed: SQLite error \(code)", hint: "check the disk space and the store file")
        }
    }
}
