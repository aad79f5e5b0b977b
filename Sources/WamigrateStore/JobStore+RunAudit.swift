import Foundation
import WamigrateBase
import WamigrateModel

/// `trace` and `diff` on SQLite, through the model's `RunAuditStore`.
extension JobStore: RunAuditStore {
    public func trace(lookup: String, policy: ConsentPolicy, masker: Masker) throws -> ContactTrace {
        try ContactTrace.load(store: self, lookup: lookup, policy: policy, masker: masker)
    }

    public func diff(from: Int64, to: Int64, sample: Int, masker: Masker) throws -> RunDiff {
        try RunDiff.compute(store: self, from: from, to: to, sample: sample, masker: masker)
    }
}
