import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

/// `wamigrate diff A B` on SQLite: the model's diff (`RunDiff.compute`) read in one read transaction.
extension RunDiff {
    public static func compute(store: JobStore, from: Int64, to: Int64, sample: Int, masker: Masker) throws -> RunDiff {
        try store.read { db in
            try compute(
                from: from, to: to, sample: sample, masker: masker, db: SQLiteAuditReader(db: db), path: store.path)
        }
    }
}
