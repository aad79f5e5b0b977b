import Foundation

/// What verify's last transaction found.
public struct VerifyTotals: Sendable {
    /// Contacts absorbed into another because they share its wa_id.
    public var waIDMerges = 0
    /// Contacts with a number, by WhatsApp status.
    public var statuses: [String: Int] = [:]
    /// Contacts whose wa_id is not their own number.
    public var waIDDiffers = 0
    public var contacts = 0

    public init() {}
}
