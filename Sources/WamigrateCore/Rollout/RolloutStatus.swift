import WamigrateModel

/// What `wave status` shows of a rollout (and `advance`/`promote` print after their decision).
public struct RolloutStatus: Codable, Sendable {
    public struct Cohort: Codable, Sendable {
        /// 1-based, as people count them.
        public var cohort: Int
        public var released: Bool
        public var planned: Int
        public var holdout: Int
        public var signals: SignalCounts
    }

    public struct Figure: Codable, Sendable {
        public var signal: RolloutSignal
        public var observed: Proportion
        /// 95 % Wilson interval.
        public var interval: Interval
    }

    public struct Variant: Codable, Sendable {
        public var variant: String
        public var template: String
        public var figures: [Figure]
        public var signals: SignalCounts
    }

    /// The holdout, measured on the legacy channel, against the WhatsApp side.
    public struct Holdout: Codable, Sendable {
        /// Holdout people messaged on SMS/Viber, and what those messages gave.
        public var signals: SignalCounts
        public var figures: [Figure]
        /// WhatsApp share − legacy share per signal, 95 % Newcombe interval: the migration's own effect.
        public var versus: [Versus]
    }

    public struct Versus: Codable, Sendable {
        public var signal: RolloutSignal
        public var whatsapp: Proportion
        public var legacy: Proportion
        public var difference: Interval
    }

    public var wave = ""
    public var stages = ""
    public var gate = ""
    public var waitSeconds: Int64 = 0
    public var released = 0
    public var promoted: String?
    public var cohorts: [Cohort] = []
    public var variants: [Variant] = []
    /// The gate on the newest cohort out.
    public var gateCheck: GateCheck?
    public var comparison: VariantComparison?
    /// Why the wave waits (a template RED or not approved, a limit decrease); nil when it does not.
    public var paused: String?
    public var decisions: [RolloutDecision] = []
    /// nil when the wave has no holdout.
    public var holdout: Holdout?
    /// How the limit grows for the messages not sent yet, from the newest limit the platform
    /// announced (else the wave's own); nil when neither is known.
    public var forecast: TierForecast?
    /// Where the forecast's starting limit comes from.
    public var forecastFrom: String?
}
