import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

/// `wamigrate trace` on SQLite: the model's trace (`ContactTrace.assemble`) read in one read
/// transaction, then the consent ledger's events and tally.
extension ContactTrace {
    public static func load(store: JobStore, lookup: String, policy: ConsentPolicy, masker: Masker) throws
        -> ContactTrace
    {
        var (trace, addresses) = try store.read { db in
            try assemble(lookup: lookup, masker: masker, from: SQLiteAuditReader(db: db))
        }
        try trace.addConsent(addresses: addresses, from: store, policy: policy, masker: masker)
        return trace
    }
}
