import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

/// The run manifest on SQLite: read by the model's shared SQL (`RunManifest.capture(from:)`),
/// the books by this store's queries.
extension RunManifest {
    /// The manifest of `run` as the store holds it now.
    static func capture(_ db: Database, run: Int64) throws -> RunManifest? {
        try capture(from: SQLiteAuditReader(db: db), run: run, books: try Books.compute(db))
    }

    /// Stores the manifest of `run` (once the run has finished).
    static func record(_ db: Database, run: Int64) throws {
        guard let manifest = try capture(db, run: run) else { return }
        try db.execute(
            sql: "INSERT OR REPLACE INTO run_manifests (run_id, manifest_json) VALUES (?, ?)",
            arguments: [run, try manifest.storedJSON])
    }

    /// The stored manifest of `run`.
    static func load(_ db: Database, run: Int64) throws -> RunManifest? {
        try load(from: SQLiteAuditReader(db: db), run: run)
    }
}
