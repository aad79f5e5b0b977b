import GRDB
import WamigrateBase

/// What the runner hands a stage: the store, the run, and the fingerprint its
/// completion record keeps.
public struct StageContext {
    public let store: JobStore
    public let runID: Int64
    public let fingerprint: String
    let started = Clock.isoNow()

    public init(store: JobStore, runID: Int64, fingerprint: String) {
        self.store = store
        self.runID = runID
        self.fingerprint = fingerprint
    }

    /// Marks the stage complete inside the transaction that wrote its results: a kill
    /// before the commit leaves neither, so the next run does the stage again.
    public func complete(_ stage: Stage, rowsIn: Int, rowsOut: Int, details: some Encodable, in db: Database) throws {
        try JobStore.recordStage(
            stage, run: runID, started: started, fingerprint: fingerprint, rowsIn: rowsIn, rowsOut: rowsOut,
            details: details, in: db)
    }
}
