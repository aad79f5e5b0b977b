import Foundation

/// The verify stage: batches written before they are sent and closed with their answers
/// in one transaction, then the end of the stage (wa_id merges, counts, the record).
public protocol VerifyStore: AnyObject {
    /// Clears import's lists before verify changes what they were made from.
    func clearImportLists() throws
    /// Verify's end, in one transaction: contacts that share a wa_id merged (fields picked
    /// again by `merge`), the statuses counted, and the stage recorded with the report
    /// `apply` completes from the totals.
    func finishVerify<Report: Encodable>(
        context: StageContext, report: inout Report,
        merge: @escaping (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact,
        apply: (inout Report, VerifyTotals) -> Void
    ) throws
}

/// Where the contacts-API verifier keeps its batches (an engine that does not keep them
/// yet runs verify with no verifier, or from delivery reports where it keeps those).
public protocol VerifyBatchStore: AnyObject {
    func verifyBatches() -> any VerifyBatches
}

/// The verify stage's ledger of batches. A batch is written before it is sent, marked
/// `sent` just before each send, and marked `done` in the transaction that stores its
/// answers: a process killed at any moment leaves every number answered once or in a
/// batch still to send.
public protocol VerifyBatches {
    /// Plans new batches for the candidates with no fresh answer and no open batch, within
    /// the budget; with `dryRun`, only counts.
    func plan(
        runID: Int64, freshAfter: Int64, forceCheck: Bool, limit: Int?, allowOverBudget: Bool, size: Int, dryRun: Bool
    ) throws -> VerifyPlan
    /// Every unanswered batch, oldest first; failed ones go back to pending.
    func open(runID: Int64) throws -> [VerifyBatch]
    func markSent(_ batch: Int64) throws
    func complete(_ batch: Int64, answer: BatchAnswer, verifier: String, at checkedAt: Int64, runID: Int64) throws
    func fail(_ batch: Int64, error: String) throws
    func checksUsed() throws -> Int
    func answersOfRun(_ runID: Int64, _ visit: (_ answer: String, _ numberType: String?) -> Void) throws
    func distrustValidAnswers(ofRun runID: Int64) throws
}

/// A batch not yet answered.
public struct VerifyBatch: Sendable {
    public var id: Int64
    public var numbers: [String]
    public var forceCheck: Bool
    public var resumed: Bool

    public init(id: Int64, numbers: [String], forceCheck: Bool, resumed: Bool) {
        self.id = id
        self.numbers = numbers
        self.forceCheck = forceCheck
        self.resumed = resumed
    }
}
