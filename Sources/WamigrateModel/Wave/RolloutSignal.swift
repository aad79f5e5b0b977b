/// What a rollout measures on each sent message of a cohort or variant, as a share of the
/// messages old enough to have their statuses.
public enum RolloutSignal: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable {
    case delivered, read
    /// The person wrote back (any WhatsApp message after the template).
    case replied
    /// The person pressed a quick-reply button of the template (or an interactive reply).
    case clicked
    /// Any opt-out: a typed STOP or a WhatsApp marketing stop.
    case optout
    /// A typed STOP (or its word in the person's language): every category stops.
    case stop
    /// The platform's marketing stop (`user_preferences`, error 131050): marketing stops.
    case marketingStop = "marketing_stop"
    /// Undeliverable (131026) to a person known on WhatsApp: the usual sign of a block.
    case blocked
    case failed
    case failed131026 = "failed_131026"
    case failed131049 = "failed_131049"
    case failed131050 = "failed_131050"

    /// Whether more of it is better (a gate on it is `>=`) or worse (`<=`).
    public var higherIsBetter: Bool {
        switch self {
        case .delivered, .read, .replied, .clicked: true
        default: false
        }
    }
}

/// Counts of each signal over `measured` messages.
public struct SignalCounts: Codable, Sendable, Equatable {
    /// Sent messages old enough to have their statuses (the gate's sample).
    public var measured = 0
    /// Sent messages still inside the wait: not counted yet.
    public var waiting = 0
    public var counts: [RolloutSignal: Int] = [:]

    public init(measured: Int = 0, waiting: Int = 0, counts: [RolloutSignal: Int] = [:]) {
        self.measured = measured
        self.waiting = waiting
        self.counts = counts
    }

    public subscript(signal: RolloutSignal) -> Int { counts[signal] ?? 0 }

    public static func + (lhs: SignalCounts, rhs: SignalCounts) -> SignalCounts {
        SignalCounts(
            measured: lhs.measured + rhs.measured, waiting: lhs.waiting + rhs.waiting,
            counts: lhs.counts.merging(rhs.counts, uniquingKeysWith: +))
    }
}
