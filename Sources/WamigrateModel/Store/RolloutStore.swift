/// A wave's gradual rollout: what each cohort and variant showed, the gates judged on them,
/// and the cohorts released to `send`.
public protocol RolloutStore: AnyObject {
    /// Every cohort × variant of the wave; a sent message counts in `signals.measured` when
    /// it went out at or before `cutoff` (its statuses have had the gate's wait), else in
    /// `signals.waiting`.
    func rolloutCells(_ wave: String, measuredBefore cutoff: Int64) throws -> [RolloutCell]
    /// The wave's status and its cells from one pass over the wave (`wave status`).
    func rolloutCounts(_ wave: String, measuredBefore cutoff: Int64) throws -> RolloutCounts
    /// The holdout's people messaged on SMS/Viber (campaigns): of them, delivered, failed,
    /// replied and opted out on the legacy channel after their latest message.
    func holdoutOnLegacy(_ wave: String) throws -> SignalCounts
    /// The decisions taken so far, oldest first.
    func rolloutDecisions(_ wave: String) throws -> [RolloutDecision]
    /// Keeps a decision and sets the cohorts released to it (a failed gate keeps them).
    func recordRolloutDecision(_ decision: RolloutDecision) throws
    /// Gives every planned message `variant`, releases every cohort and keeps the decision.
    func promote(_ wave: String, variant: String, decision: RolloutDecision) throws
}

/// What one pass over a rollout wave gives `wave status`: its report and its cells.
public struct RolloutCounts: Sendable {
    public var report: WaveStatusReport
    public var cells: [RolloutCell]

    public init(report: WaveStatusReport, cells: [RolloutCell]) {
        self.report = report
        self.cells = cells
    }
}
