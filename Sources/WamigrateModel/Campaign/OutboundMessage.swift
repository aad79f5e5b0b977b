import Foundation

/// One planned campaign message as the sender needs it.
public struct OutboundMessage: Sendable {
    public var id: Int64
    public var campaign: String
    public var contactID: String
    public var channel: Channel
    /// +E164 (SMS) or the Viber user id.
    public var address: String
    public var zones: [String]
    public var text: String
    public var link: String?
    public var button: String?
    public var business: String
    public var language: String
    public var version: String
    public var sendAt: Int64
    public var state: MessageState
    public var sendingAt: Int64?
    public var idempotencyKey: String
    /// Every address of the person (number and Viber id), for the ledger check.
    public var addresses: [String]

    public init(
        id: Int64, campaign: String, contactID: String, channel: Channel, address: String, zones: [String], text: String,
        link: String? = nil, button: String? = nil, business: String, language: String, version: String, sendAt: Int64,
        state: MessageState, sendingAt: Int64? = nil, idempotencyKey: String, addresses: [String]
    ) {
        self.id = id
        self.campaign = campaign
        self.contactID = contactID
        self.channel = channel
        self.address = address
        self.zones = zones
        self.text = text
        self.link = link
        self.button = button
        self.business = business
        self.language = language
        self.version = version
        self.sendAt = sendAt
        self.state = state
        self.sendingAt = sendingAt
        self.idempotencyKey = idempotencyKey
        self.addresses = addresses
    }
}

extension OutboundMessage {
    /// The send log's messages with their text and contact, as both engines read them
    /// (`WHERE` and `ORDER BY` follow).
    public static let selectSQL = """
        SELECT m.id, m.campaign, m.contact_id, m.channel, m.address, m.zones, t.text, t.link, t.language, t.version,
               m.send_at, m.state, m.sending_at, m.idempotency_key, c.e164, c.viber_id, t.button, t.business
        FROM campaign_messages m
        JOIN campaign_texts t ON t.id = m.text_id
        LEFT JOIN contacts c ON c.id = m.contact_id
        """
}
