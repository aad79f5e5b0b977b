/// A person's ledger events summed up, and the rule that turns them into a
/// state. An opt-out is sticky: only an opt-in that is dated and later than
/// every opt-out beats it (a STOP at the same second as a YES wins), and an
/// undated opt-out is never beaten. With no opt-out, any opt-in counts.
/// Marketing-only events (a WhatsApp marketing stop or resume, contracts §9.4) are
/// summed apart: they decide MARKETING sends alone, and only a marketing resume
/// later than every marketing stop undoes them (`state(forCategory:)`).
public struct ConsentTally: Sendable, Equatable {
    public var optOuts = 0
    public var undatedOptOut = false
    public var lastOptOut: Int64?
    public var optIns = 0
    public var lastOptIn: Int64?
    /// The same, for opt-ins the job's policy counts for WhatsApp.
    public var countedOptIns = 0
    public var lastCountedOptIn: Int64?
    /// Marketing-only stops and resumes.
    public var marketingStops = 0
    public var undatedMarketingStop = false
    public var lastMarketingStop: Int64?
    public var lastMarketingResume: Int64?

    public init() {}

    /// Whether the person stopped MARKETING and did not resume it since.
    public var marketingStopped: Bool {
        guard marketingStops > 0 else { return false }
        if !undatedMarketingStop, let resume = lastMarketingResume, let stop = lastMarketingStop, resume > stop {
            return false
        }
        return true
    }

    /// The state for a send of a template of this category (MARKETING, UTILITY, …).
    public func state(forCategory category: String) -> ConsentState {
        category.uppercased() == "MARKETING" && marketingStopped ? .optedOut : state
    }

    /// The WhatsApp state (policy-counted opt-ins) for a send of this category.
    public func whatsappState(forCategory category: String) -> ConsentState {
        category.uppercased() == "MARKETING" && marketingStopped ? .optedOut : whatsappState
    }

    /// The state from every source.
    public var state: ConsentState { Self.state(self, ins: optIns, lastIn: lastOptIn) }
    /// The state using only the opt-ins the policy counts for WhatsApp.
    public var whatsappState: ConsentState { Self.state(self, ins: countedOptIns, lastIn: lastCountedOptIn) }

    private static func state(_ t: ConsentTally, ins: Int, lastIn: Int64?) -> ConsentState {
        if t.optOuts > 0 {
            if !t.undatedOptOut, let lastIn, let lastOut = t.lastOptOut, lastIn > lastOut { return .optedIn }
            return .optedOut
        }
        return ins > 0 ? .optedIn : .unknown
    }

    /// The events of two addresses of one person (a number and a Viber id).
    public func merged(_ other: ConsentTally) -> ConsentTally {
        var t = self
        t.optOuts += other.optOuts
        t.undatedOptOut = t.undatedOptOut || other.undatedOptOut
        t.lastOptOut = Self.later(t.lastOptOut, other.lastOptOut)
        t.optIns += other.optIns
        t.lastOptIn = Self.later(t.lastOptIn, other.lastOptIn)
        t.countedOptIns += other.countedOptIns
        t.lastCountedOptIn = Self.later(t.lastCountedOptIn, other.lastCountedOptIn)
        t.marketingStops += other.marketingStops
        t.undatedMarketingStop = t.undatedMarketingStop || other.undatedMarketingStop
        t.lastMarketingStop = Self.later(t.lastMarketingStop, other.lastMarketingStop)
        t.lastMarketingResume = Self.later(t.lastMarketingResume, other.lastMarketingResume)
        return t
    }

    private static func later(_ a: Int64?, _ b: Int64?) -> Int64? {
        switch (a, b) {
        case let (x?, y?): max(x, y)
        default: a ?? b
        }
    }
}
