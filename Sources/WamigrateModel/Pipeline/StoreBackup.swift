import Foundation

/// Snapshots of a job store in `<store>.backups/`, taken with SQLite's online backup
/// API before a command replaces earlier results ("always back up before migrating"):
/// a re-run stage, import, campaign commands. Each snapshot has a sidecar JSON with
/// its SHA-256, checked before a restore. The newest `keep` snapshots are kept.
public struct StoreBackup: Codable, Sendable {
    public var number: Int
    public var reason: String
    public var createdAt: String
    public var file: String
    public var size: Int64
    public var sha256: String
    /// The store's last run when the snapshot was taken.
    public var lastRun: Int64?
    /// The store's last stage result when the snapshot was taken: a store whose last stage
    /// result is still this one has not changed since, and is not copied again.
    public var lastStageRun: Int64?

    public static let defaultKeep = 3

    public static func folder(forStore store: String) -> String { store + ".backups" }

    /// Every snapshot of the store, oldest first.
    public static func list(store: String) throws -> [StoreBackup] {
        // A PostgreSQL job keeps no snapshots of wamigrate's: the server's backups cover it.
        guard StoreEngineName.of(store) == .sqlite else { throw StoreEngineName.sqliteOnly }
        let folder = folder(forStore: store)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasSuffix(".json") }.compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
            return try? JSONDecoder().decode(StoreBackup.self, from: data)
        }.sorted { $0.number < $1.number }
    }

    public init(
        number: Int, reason: String, createdAt: String, file: String, size: Int64, sha256: String, lastRun: Int64?,
        lastStageRun: Int64?
    ) {
        self.number = number
        self.reason = reason
        self.createdAt = createdAt
        self.file = file
        self.size = size
        self.sha256 = sha256
        self.lastRun = lastRun
        self.lastStageRun = lastStageRun
    }
}
