import GRDB

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

    /// The aggregate columns, in the order `init(row:offset:)` reads them,
    /// named s1...s11 when `named`.
    public static func columns(policy: ConsentPolicy, named: Bool = false) -> String {
        // Fragments of one GROUP BY, shared by import, the report and trace: the words
        // come from the enum (checked by the compiler), written into the text.
        let counted = policy.sqlPredicate
        let (optIn, optOut) = ("'\(ConsentEvent.Kind.optIn.rawValue)'", "'\(ConsentEvent.Kind.optOut.rawValue)'")
        let marketing = ConsentEvent.Method.marketingOnlySQL
        let (out, into) = ("event = \(optOut) AND NOT \(marketing)", "event = \(optIn) AND NOT \(marketing)")
        let list = [
            "SUM(\(out))", "MAX(\(out) AND at IS NULL)", "MAX(CASE WHEN \(out) THEN at END)",
            "SUM(\(into))", "MAX(CASE WHEN \(into) THEN at END)", "SUM(\(into) AND \(counted))",
            "MAX(CASE WHEN \(into) AND \(counted) THEN at END)",
            "SUM(event = \(optOut) AND \(marketing))", "MAX(event = \(optOut) AND \(marketing) AND at IS NULL)",
            "MAX(CASE WHEN event = \(optOut) AND \(marketing) THEN at END)",
            "MAX(CASE WHEN event = \(optIn) AND \(marketing) THEN at END)",
        ]
        return list.enumerated().map { named ? "\($1) AS s\($0 + 1)" : $1 }.joined(separator: ", ")
    }

    public static let columnCount = 11

    /// Reads the aggregate columns starting at `offset`; a missing (NULL) group is an empty tally.
    public init(row: Row, offset: Int) {
        optOuts = row[offset] ?? 0
        undatedOptOut = (row[offset + 1] as Int?) == 1
        lastOptOut = row[offset + 2]
        optIns = row[offset + 3] ?? 0
        lastOptIn = row[offset + 4]
        countedOptIns = row[offset + 5] ?? 0
        lastCountedOptIn = row[offset + 6]
        marketingStops = row[offset + 7] ?? 0
        undatedMarketingStop = (row[offset + 8] as Int?) == 1
        lastMarketingStop = row[offset + 9]
        lastMarketingResume = row[offset + 10]
    }
}
