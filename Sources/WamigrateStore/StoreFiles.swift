import Foundation

extension JobStore {
    /// Deletes a SQLite file with its WAL and shared-memory files, where they exist: a
    /// benchmark's fresh start.
    public static func removeFiles(at path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
