import Foundation
import WamigrateBase

/// The auditor's reads of one contact and of two runs: `wamigrate trace` and `wamigrate diff`,
/// the same answers on every engine (the model assembles both from the same SQL).
public protocol RunAuditStore: AnyObject {
    /// One contact's whole lineage (`ContactTrace`), looked up by number, contact id,
    /// `viber:<id>` or `file:record`.
    func trace(lookup: String, policy: ConsentPolicy, masker: Masker) throws -> ContactTrace
    /// What changed between two runs' contact snapshots; `sample` contacts shown per kind.
    func diff(from: Int64, to: Int64, sample: Int, masker: Masker) throws -> RunDiff
}
