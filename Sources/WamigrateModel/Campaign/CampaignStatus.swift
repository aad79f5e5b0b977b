import Foundation

/// campaign status: messages per state, delivery and the last reply's class
/// (yes = opt_in, no = opt_out, other), in all, by channel and by language.
public struct CampaignStatus: Codable, Sendable {
    public struct Counts: Codable, Sendable, Equatable {
        /// excluded, planned, sending, sent, failed, suppressed, in_doubt
        public var states: [String: Int] = [:]
        public var delivered = 0
        public var repliedYes = 0
        public var repliedNo = 0
        public var repliedOther = 0

        public init() {}
    }

    public var campaign = ""
    public var total = Counts()
    public var byChannel: [String: Counts] = [:]
    public var byLanguage: [String: Counts] = [:]
    /// Not planned, by reason; failed, by reason.
    public var excluded: [String: Int] = [:]
    public var failed: [String: Int] = [:]
    public var nextSlot: String?

    public init() {}
}

extension CampaignStatus {
    /// Counts `count` messages of one row of the status query (channel, language, state,
    /// delivered, the last reply's class, reason) into the totals and their margins.
    public mutating func add(
        count: Int, channel: String, language: String, state: MessageState, delivered: Bool, reply: String?,
        reason: String?
    ) {
        func add(_ counts: inout Counts) {
            counts.states[state.rawValue, default: 0] += count
            if delivered { counts.delivered += count }
            switch reply {
            case "opt_in": counts.repliedYes += count
            case "opt_out": counts.repliedNo += count
            case "other": counts.repliedOther += count
            default: break
            }
        }
        add(&total)
        add(&byChannel[channel, default: Counts()])
        if state != .excluded { add(&byLanguage[language, default: Counts()]) }
        if state == .excluded { excluded[reason ?? "?", default: 0] += count }
        if state == .failed { failed[reason ?? "?", default: 0] += count }
    }
}
