import Foundation
import GRDB

/// A job store opened with plain SQL, for the two things the tests may do that way: stage a
/// fault behind the tool's back (`inject`, `tamper`), and let `Auditor` recompute a report's
/// figures from the queries the report prints. Everything else reads through `JobReader`.
public struct StoreProbe {
    let queue: DatabaseQueue

    init(_ path: String) throws {
        queue = try Self.open(path, readonly: true)
    }

    /// A tool process may hold the write lock (a receiver, a send) while a test looks: wait for it.
    static func open(_ path: String, readonly: Bool) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.busyMode = .timeout(30)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Changes a store behind the tool's back, as a fault a test injects (a trigger that
    /// makes one step fail): opened for writing only for this.
    public static func inject(_ path: String, _ sql: String) throws {
        let queue = try open(path, readonly: false)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    func int(_ sql: String) throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    /// Every row of a query, each value as text ("null" for NULL): how an
    /// auditor's `sqlite3` session would print them.
    func rows(_ sql: String) throws -> [[String]] {
        try queue.read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                row.databaseValues.map { value in
                    switch value.storage {
                    case .null: "null"
                    case .int64(let v): String(v)
                    case .double(let v): String(v)
                    case .string(let v): v
                    case .blob(let v): v.base64EncodedString()
                    }
                }
            }
        }
    }

    /// Changes a store behind the tool's back, to stage what a crash leaves.
    public static func tamper(_ path: String, _ sql: String) throws {
        try open(path, readonly: false).write { try $0.execute(sql: sql) }
    }
}
