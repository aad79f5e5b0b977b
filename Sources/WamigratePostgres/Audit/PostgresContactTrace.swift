import Foundation
import WamigrateBase
import WamigrateModel

/// `wamigrate trace` on PostgreSQL: the model's trace (`ContactTrace.assemble`) read in one
/// read-only snapshot, then the consent ledger's events and tally.
extension PostgresJobStore: RunAuditStore {
    public func trace(lookup: String, policy: ConsentPolicy, masker: Masker) throws -> ContactTrace {
        var (trace, addresses) = try read {
            try ContactTrace.assemble(lookup: lookup, masker: masker, from: PostgresAuditReader(connection: connection))
        }
        try trace.addConsent(addresses: addresses, from: self, policy: policy, masker: masker)
        return trace
    }
}
