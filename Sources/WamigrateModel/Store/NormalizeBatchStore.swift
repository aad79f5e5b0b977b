import Foundation

/// Normalize shared by several processes, on one machine or many (an engine where several
/// writers can work at once: PostgreSQL). The coordinator cuts the input rows into batches;
/// every worker, the coordinator included, claims a pending batch no other worker holds,
/// normalizes it and writes its rows with the batch marked done in one transaction: a worker
/// killed at any point leaves its batch pending for another, and no row is written twice.
/// The coordinator records the stage once every batch is done.
public protocol NormalizeBatchStore: AnyObject {
    /// Cuts the input rows into batches of `size` for a stage run with `fingerprint`, after
    /// clearing normalize's and every later stage's results; a plan left by a killed
    /// coordinator with the same fingerprint is kept (its done batches are not redone).
    func planNormalize(_ plan: NormalizePlan, size: Int) throws -> BatchProgress

    /// The plan workers follow, nil when no normalize is planned.
    func normalizePlan() throws -> NormalizePlan?

    /// Claims the next pending batch of `plan` (none once the job's plan is another) and hands
    /// its cells to `work`, which writes each row's result through the tables and returns the
    /// batch's report (JSON); the rows and the batch's `done` commit together. False when no
    /// batch of that plan was free to claim.
    func normalizeNextBatch(
        worker: String, plan: NormalizePlan, _ work: ([PhoneCell], any NormalizedTables) throws -> Data
    ) throws -> Bool

    func normalizeProgress() throws -> BatchProgress

    /// Every batch's report, in batch order, once all are done (nil while any is not); the
    /// coordinator merges them and records the stage with `finishNormalize`.
    func normalizeBatchReports() throws -> [Data]?

    func finishNormalize<R: Encodable>(context: StageContext, rowsIn: Int, rowsOut: Int, report: R) throws
}

/// What every worker must agree on: the stage's fingerprint (inputs, region, numbering plans,
/// rules and tool version) and the job's default region.
public struct NormalizePlan: Codable, Sendable, Equatable {
    public var fingerprint: String
    public var defaultRegion: String?

    public init(fingerprint: String, defaultRegion: String?) {
        self.fingerprint = fingerprint
        self.defaultRegion = defaultRegion
    }
}
