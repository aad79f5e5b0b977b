import Foundation

/// A contact on the `reconsent` list, with its ledger tally, as a campaign plan reads it.
public struct AudienceMember: Sendable {
    public var contactID: String
    public var e164: String?
    public var viberID: String?
    public var region: String?
    public var language: String?
    /// The channel and reason import gave it.
    public var channel: Channel
    public var listReason: ListReason?
    public var tally: ConsentTally

    public init(
        contactID: String, e164: String? = nil, viberID: String? = nil, region: String? = nil, language: String? = nil,
        channel: Channel, listReason: ListReason? = nil, tally: ConsentTally
    ) {
        self.contactID = contactID
        self.e164 = e164
        self.viberID = viberID
        self.region = region
        self.language = language
        self.channel = channel
        self.listReason = listReason
        self.tally = tally
    }
}
