import Foundation
import GRDB

/// Reads a job store the way an auditor would, with plain SQL.
public struct StoreProbe {
    let queue: DatabaseQueue

    public init(_ path: String) throws {
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

    public func int(_ sql: String) throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    public func strings(_ sql: String) throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: sql) }
    }

    /// Every row of a query, each value as text ("null" for NULL): how an
    /// auditor's `sqlite3` session would print them.
    public func rows(_ sql: String) throws -> [[String]] {
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
