/// One cohort × variant of a wave, as the store counts it for `wave status` and `advance`.
public struct RolloutCell: Codable, Sendable, Equatable {
    /// 0-based.
    public var cohort: Int
    public var variant: String
    /// Not sent yet (planned), and held back (the holdout, on the legacy channel).
    public var planned: Int
    public var holdout: Int
    /// Sent or refused, with the signals of those old enough to have their statuses.
    public var signals: SignalCounts

    public init(cohort: Int, variant: String, planned: Int, holdout: Int, signals: SignalCounts) {
        self.cohort = cohort
        self.variant = variant
        self.planned = planned
        self.holdout = holdout
        self.signals = signals
    }
}

/// A gate judged by `wave advance` (or a promotion), kept for the report.
public struct RolloutDecision: Codable, Sendable, Equatable {
    public var wave: String
    /// The cohort whose figures were judged (0-based).
    public var cohort: Int
    public var at: Int64
    /// holds | fails | waiting | too_few | promoted
    public var verdict: String
    public var sample: Int
    /// The figures in words, as `advance` printed them.
    public var detail: String
    /// Cohorts released to send after the decision.
    public var released: Int

    public init(wave: String, cohort: Int, at: Int64, verdict: String, sample: Int, detail: String, released: Int) {
        self.wave = wave
        self.cohort = cohort
        self.at = at
        self.verdict = verdict
        self.sample = sample
        self.detail = detail
        self.released = released
    }
}
