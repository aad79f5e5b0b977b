import Foundation

/// The campaign message a reply answers, as the reply's consent evidence cites it.
public struct AnsweredMessage: Sendable {
    public var id: Int64
    public var campaign: String?
    public var providerID: String?
    public var idempotencyKey: String?
    /// The exact text the person was shown, and its version.
    public var text: String?
    public var version: String?

    public init(
        id: Int64, campaign: String? = nil, providerID: String? = nil, idempotencyKey: String? = nil, text: String? = nil,
        version: String? = nil
    ) {
        self.id = id
        self.campaign = campaign
        self.providerID = providerID
        self.idempotencyKey = idempotencyKey
        self.text = text
        self.version = version
    }
}
