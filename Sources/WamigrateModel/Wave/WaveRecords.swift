import Foundation

/// A planned wave as stored.
public struct WaveRecord: Codable, Sendable {
    public var name: String
    public var template: String
    public var language: String
    public var category: String
    public var list: String
    public var tier: Int?
    public var settingsJSON: String
    public var plannedAt: Int64
    /// Cohorts `send` may take (a wave without `--rollout` has one, released at plan).
    public var released = 1
    /// The variant `wave promote` chose for the rest of the wave.
    public var promoted: String?

    public init(
        name: String, template: String, language: String, category: String, list: String, tier: Int? = nil, settingsJSON: String,
        plannedAt: Int64
    ) {
        self.name = name
        self.template = template
        self.language = language
        self.category = category
        self.list = list
        self.tier = tier
        self.settingsJSON = settingsJSON
        self.plannedAt = plannedAt
    }
}

/// One wave message as the sender needs it.
public struct OutboundTemplate: Sendable {
    public var id: Int64
    public var contactID: String
    public var e164: String
    public var parameters: [String]
    public var state: MessageState
    public var sendingAt: Int64?
    /// Sent as `biz_opaque_callback_data`: status webhooks echo it, which settles a message a crash left in doubt.
    public var idempotencyKey: String
    /// Every address of the person (number and Viber id), for the ledger check.
    public var addresses: [String]
    /// The rollout variant: which of the wave's templates this person gets.
    public var variant = "A"

    public init(
        id: Int64, contactID: String, e164: String, parameters: [String], state: MessageState, sendingAt: Int64? = nil,
        idempotencyKey: String, addresses: [String]
    ) {
        self.id = id
        self.contactID = contactID
        self.e164 = e164
        self.parameters = parameters
        self.state = state
        self.sendingAt = sendingAt
        self.idempotencyKey = idempotencyKey
        self.addresses = addresses
    }
}
