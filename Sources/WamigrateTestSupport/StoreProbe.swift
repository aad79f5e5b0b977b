import GRDB

/// Reads a job store the way an auditor would, with plain SQL.
public struct StoreProbe {
    let queue: DatabaseQueue

    public init(_ path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    public func int(_ sql: String) throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: sql) ?? 0 }
    }

    public func strings(_ sql: String) throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: sql) }
    }

    /// Changes a store behind the tool's back, to stage what a crash leaves.
    public static func tamper(_ path: String, _ sql: String) throws {
        try DatabaseQueue(path: path).write { try $0.execute(sql: sql) }
    }
}
