import Foundation
import WamigrateBase
import WamigrateModel

/// `wamigrate diff A B` on PostgreSQL: the model's diff (`RunDiff.compute`) of two runs'
/// snapshots, read in one read-only snapshot.
extension PostgresJobStore {
    public func diff(from: Int64, to: Int64, sample: Int, masker: Masker) throws -> RunDiff {
        try read {
            try RunDiff.compute(
                from: from, to: to, sample: sample, masker: masker, db: PostgresAuditReader(connection: connection),
                path: path)
        }
    }
}
