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
