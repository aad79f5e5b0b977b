import Foundation

/// An auditor checking a report: every figure is printed beside the SQL it came from, and
/// the auditor's procedure is to run that SQL on the store and compare. The one place the
/// end-to-end tests run SQL on a store to read it (fault staging is `StoreProbe`'s).
public enum Auditor {
    /// The rows a report's query gives, each value as text ("null" for NULL), as `sqlite3` prints them.
    public static func recompute(_ query: String, in store: String) throws -> [[String]] {
        try StoreProbe(store).rows(query)
    }

    /// A single-number query's answer (the books' queries).
    public static func recomputeCount(_ query: String, in store: String) throws -> Int {
        try StoreProbe(store).int(query)
    }
}
