import Foundation
import GRDB

/// The floor of writing the store: one bulk insert of every kept row (its line and E.164)
/// into a fresh SQLite file, one prepared statement, one transaction, the store's journal
/// settings (WAL, synchronous NORMAL). What any stage that writes a row per input row
/// cannot beat on this machine.
public enum InsertFloor {
    /// `rows` as (E.164 digits as an integer, line) pairs; returns seconds from open to closed.
    public static func run(path: String, rows: [(key: UInt64, line: UInt64)]) throws -> Double {
        JobStore.removeFiles(at: path)
        let start = Date()
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
        }
        let queue = try DatabaseQueue(path: path, configuration: config)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE kept_rows (line INTEGER PRIMARY KEY, e164 TEXT NOT NULL)")
            var insert = BulkStatement(try db.makeStatement(sql: "INSERT INTO kept_rows (line, e164) VALUES (?, ?)"))
            for row in rows {
                insert.bind(Int64(row.line))
                insert.bind("+" + String(row.key))
                try insert.step()
            }
        }
        try queue.close()
        return Date().timeIntervalSince(start)
    }
}
