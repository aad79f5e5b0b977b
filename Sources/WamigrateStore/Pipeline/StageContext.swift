import GRDB
import WamigrateBase
import WamigrateModel

extension StageContext {
    /// Marks the stage complete inside the transaction that wrote its results: a kill
    /// before the commit leaves neither, so the next run does the stage again.
    func complete(_ stage: Stage, rowsIn: Int, rowsOut: Int, details: some Encodable, in db: Database) throws {
        try JobStore.recordStage(
            stage, run: runID, started: started, fingerprint: fingerprint, rowsIn: rowsIn, rowsOut: rowsOut,
            details: details, in: db)
    }
}
