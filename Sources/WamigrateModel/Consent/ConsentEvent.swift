import Foundation

/// One opt-in or opt-out in the ledger: who (an address), on which channel,
/// when, how, what they were shown and the evidence.
public struct ConsentEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case optIn = "opt_in"
        case optOut = "opt_out"
    }

    /// How the event was given. `source` (what a policy names) is `method:channel`.
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// An explicit consent cell in a source export, with the export's own date.
        case export
        /// A keyword reply to a campaign message that named the business and the purpose.
        case campaignReply = "campaign_reply"
        /// A keyword message with no campaign message before it.
        case keywordReply = "keyword_reply"
        /// The SMS gateway refused the number as unsubscribed (Twilio 21610).
        case gatewayUnsubscribed = "gateway_unsubscribed"
        /// The person unsubscribed from the Viber bot (`unsubscribed` webhook).
        case viberUnsubscribed = "viber_unsubscribed"
        /// A WhatsApp marketing stop (`user_preferences` webhook, `value: stop`): marketing only,
        /// per business number, and only the person can resume it.
        case whatsappPreference = "whatsapp_preference"
        /// The Cloud API refused a MARKETING template with 131050: the person stopped marketing.
        case whatsappMarketingRefused = "whatsapp_marketing_refused"

        /// Events of these methods stop (or resume) MARKETING only; every other event covers
        /// everything the business sends (a typed STOP, an export's opt-out, an unsubscribe).
        public var marketingOnly: Bool { self == .whatsappPreference || self == .whatsappMarketingRefused }

        /// SQL that is true for a consent_events row of a marketing-only method.
        public static let marketingOnlySQL =
            "method IN (" + allCases.filter(\.marketingOnly).map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
    }

    public var id: Int64?
    /// `+E164`, `viber:<user id>`, or `bsuid:<business-scoped user id>` (a WhatsApp user
    /// whose number the webhook did not carry).
    public var address: String
    public var contactID: String?
    public var channel: Channel
    public var kind: Kind
    /// When the person acted (Unix seconds); nil when the source gave no date.
    public var at: Int64?
    public var recordedAt: Int64
    public var method: Method
    /// Makes the event unique, so ingesting the same evidence twice appends nothing.
    public var ref: String
    public var keyword: String?
    public var wording: String?
    public var wordingVersion: String?
    public var campaign: String?
    public var evidence: String?

    public init(
        address: String, contactID: String?, channel: Channel, kind: Kind, at: Int64?, recordedAt: Int64, method: Method,
        ref: String
    ) {
        self.address = address
        self.contactID = contactID
        self.channel = channel
        self.kind = kind
        self.at = at
        self.recordedAt = recordedAt
        self.method = method
        self.ref = ref
    }

    public var source: String { "\(method.rawValue):\(channel.rawValue)" }
}
