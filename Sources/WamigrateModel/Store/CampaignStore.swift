import Foundation

/// Re-consent campaigns: plans, texts and the send log.
public protocol CampaignStore: AnyObject {
    func campaignSettingsJSON(_ name: String) throws -> String
    func campaignStatus(_ campaign: String) throws -> CampaignStatus
    func replaceCampaignPlan(
        _ campaign: String, policy: ConsentPolicy, dryRun: Bool, _ body: (any CampaignPlanTables) throws -> Void) throws
    /// True when the import lists came from a dry run (a plan on them would be a rehearsal).
    func listsFromDryRun() throws -> Bool

    func campaignMessages(_ campaign: String, state: MessageState) throws -> [OutboundMessage]
    func dueMessages(_ campaign: String, now: Int64, after cursor: (Int64, Int64), limit: Int) throws
        -> [OutboundMessage]
    /// planned → sending, before the request, within the channel's daily limit (kept across every
    /// sender of the campaign where several send at once).
    func markSending(_ id: Int64, at time: Int64, within limit: DailyLimit?) throws -> SendingClaim
    func saveOutcome(
        _ id: Int64, state: MessageState, providerID: String?, errorCode: String?, reason: MessageReason?, at time: Int64,
        optOut: ConsentEvent?) throws
    func sentCount(_ campaign: String, channel: Channel, from: Int64, to: Int64) throws -> Int
    func upcoming(_ campaign: String, now: Int64) throws -> (count: Int, next: Int64?)
}

extension CampaignStore {
    /// A message's outcome, and the opt-out the gateway reported with it (appended in the same transaction).
    public func markOutcome(
        _ id: Int64, state: MessageState, providerID: String? = nil, errorCode: String? = nil, reason: MessageReason? = nil,
        at time: Int64, optOut: ConsentEvent? = nil
    ) throws {
        try saveOutcome(
            id, state: state, providerID: providerID, errorCode: errorCode, reason: reason, at: time, optOut: optOut)
    }
}

/// What a campaign plan writes, inside `replaceCampaignPlan`'s transaction.
public protocol CampaignPlanTables {
    func addText(
        channel: Channel, language: String, version: String?, file: String, text: String, link: String?,
        button: String?, business: String?, segments: Int
    ) throws -> Int64
    func forEachAudienceMember(_ visit: (AudienceMember) throws -> Void) throws
    func addMessage(
        contactID: String, channel: Channel, address: String?, region: String?, zones: String, textID: Int64?,
        sendAt: Int64?, cost: Double?, reason: MessageReason?, idempotencyKey: String) throws
    func saveSettings(json: String) throws
}

/// A channel's daily limit as `campaign send` keeps it: at most `perDay` messages started on
/// `channel` in the UTC day that begins at `day`.
public struct DailyLimit: Sendable {
    public var campaign: String
    public var channel: Channel
    public var day: Int64
    public var perDay: Int

    public init(campaign: String, channel: Channel, day: Int64, perDay: Int) {
        self.campaign = campaign
        self.channel = channel
        self.day = day
        self.perDay = perDay
    }
}

/// What marking a message `sending` found.
public enum SendingClaim: Sendable {
    /// It is this sender's to send now.
    case claimed
    /// Another sender (or run) got there first.
    case taken
    /// The channel's daily limit is used up (by every sender together): it stays planned.
    case dailyLimitReached
}
