import Crypto
import Foundation
import GRDB
import WamigrateBase

extension StoreBackup {
    /// Takes a snapshot unless the newest one already holds the store's current results
    /// (a resumed or repeated run would otherwise copy the same store again and again).
    @discardableResult
    public static func takeIfChanged(_ store: JobStore, reason: String, keep: Int, excludingRun: Int64?) throws
        -> StoreBackup?
    {
        let current = try store.read { try Int64.fetchOne($0, sql: "SELECT MAX(id) FROM stage_runs") }
        if let newest = try list(store: store.path).last, newest.lastStageRun == current { return nil }
        return try take(store, reason: reason, keep: keep, excludingRun: excludingRun)
    }

    /// Copies the store (consistent even while it is open) and prunes old snapshots.
    @discardableResult
    /// `excludingRun`: a run just begun, whose row the snapshot leaves out, so it shows
    /// the store exactly as it was before the command.
    /// `keep`: how many to keep after this one; nil prunes nothing (a restore prunes after it succeeded).
    public static func take(_ store: JobStore, reason: String, keep: Int? = defaultKeep, excludingRun: Int64? = nil) throws
        -> StoreBackup
    {
        let folder = folder(forStore: store.path)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let existing = try list(store: store.path)
            let number = (existing.last?.number ?? 0) + 1
            let file = String(format: "%04d-%@.sqlite", number, reason)
            let path = folder + "/" + file
            try? FileManager.default.removeItem(atPath: path)
            let destination = try DatabaseQueue(path: path)
            try store.queue.backup(to: destination)
            if let excludingRun {
                try destination.write { try $0.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [excludingRun]) }
            }
            let (lastRun, lastStageRun) = try destination.read {
                (
                    try Int64.fetchOne($0, sql: "SELECT MAX(id) FROM runs"),
                    try Int64.fetchOne($0, sql: "SELECT MAX(id) FROM stage_runs")
                )
            }
            try destination.close()
            let entry = StoreBackup(
                number: number, reason: reason, createdAt: Clock.isoNow(), file: file, size: try fileSize(path),
                sha256: try sha256(path), lastRun: lastRun, lastStageRun: lastStageRun)
            try JSONEncoder.pretty.encode(entry).write(
                to: URL(fileURLWithPath: folder + String(format: "/%04d.json", number)), options: .atomic)
            if let keep { prune(existing + [entry], keep: keep, protecting: nil, folder: folder) }
            return entry
        } catch let error as WamigrateError {
            throw error
        } catch {
            throw WamigrateError(
                .store, "cannot back up the job store: \(JobStore.describe(error))",
                hint: "free disk space next to the store; nothing was changed", at: .init(file: folder))
        }
    }

    /// Replaces the store's contents with snapshot `number` after checking its SHA-256;
    /// the current state is snapshotted first (`before-restore`).
    /// `force`: restore a snapshot of another job store into this one.
    public static func restore(store path: String, number: Int, force: Bool = false) throws -> StoreBackup {
        guard let entry = try list(store: path).first(where: { $0.number == number }) else {
            throw WamigrateError(
                .usage, "no backup \(number) of this store", hint: "list them with `wamigrate backup list --store \(path)`")
        }
        // The sidecar names the snapshot: a file of the backups folder, never a path elsewhere.
        guard !entry.file.isEmpty, !entry.file.contains("/"), !entry.file.hasPrefix("."), entry.file.hasSuffix(".sqlite")
        else {
            throw WamigrateError(
                .store, "backup \(number)'s sidecar names a file outside the backups folder",
                hint: "the sidecar was edited; restore another backup (`wamigrate backup list`)",
                at: .init(file: folder(forStore: path)))
        }
        let file = folder(forStore: path) + "/" + entry.file
        guard (try? sha256(file)) == entry.sha256 else {
            throw WamigrateError(
                .store, "backup \(number) does not match its checksum: it was changed or damaged",
                hint: "restore another backup (`wamigrate backup list`)", at: .init(file: file))
        }
        let store = try JobStore(path: path)
        if !force, let theirs = try jobSalt(file), let ours = try store.read({ try jobSalt($0) }), theirs != ours {
            throw WamigrateError(
                .usage, "backup \(number) is of another job store, not of this one",
                hint: "check --store; to replace this job with the other one, add --force")
        }
        // The snapshot of the current state prunes nothing now: the backup being restored
        // must survive a failed restore. Pruning follows success, and spares it.
        try take(store, reason: "before-restore", keep: nil)
        do {
            var config = Configuration()
            config.readonly = true
            let source = try DatabaseQueue(path: file, configuration: config)
            try source.backup(to: store.queue)
            try source.close()
        } catch {
            throw WamigrateError(
                .store, "restore failed: \(JobStore.describe(error))", hint: "the store is unchanged or as before; try again",
                at: .init(file: path))
        }
        prune(try list(store: path), keep: defaultKeep + 1, protecting: number, folder: folder(forStore: path))
        return entry
    }

    /// Removes all but the newest `keep` snapshots, never `protecting`.
    private static func prune(_ all: [StoreBackup], keep: Int, protecting: Int?, folder: String) {
        for old in all.dropLast(max(1, keep)) where old.number != protecting { remove(old, folder: folder) }
    }

    /// The job's salt, which every store is given once at creation: two stores of one job share it.
    private static func jobSalt(_ file: String) throws -> String? {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: file, configuration: config)
        defer { try? queue.close() }
        return try queue.read { try jobSalt($0) }
    }

    private static func jobSalt(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT salt FROM job WHERE id = 1")
    }

    private static func remove(_ entry: StoreBackup, folder: String) {
        try? FileManager.default.removeItem(atPath: folder + "/" + entry.file)
        try? FileManager.default.removeItem(atPath: folder + String(format: "/%04d.json", entry.number))
    }

    public static func fileSize(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }

    public static func sha256(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WamigrateError(.store, "cannot read the backup", hint: "check the file", at: .init(file: path))
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return Hex.string(hasher.finalize())
    }
}
