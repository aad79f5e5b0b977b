import Foundation

/// The consent ledger: events are appended, never changed; a person's tally and history
/// take in every address linked to them (numbers, Viber ids, BSUIDs).
public protocol ConsentLedgerStore: AnyObject {
    /// Appends the events not already there; how many were new.
    @discardableResult
    func appendConsent(_ events: [ConsentEvent]) throws -> Int
    func consentTally(addresses: [String], policy: ConsentPolicy) throws -> ConsentTally
    /// Every event of these addresses (and those linked to them), oldest first.
    func consentHistory(addresses: [String]) throws -> [ConsentEvent]
    /// Inbound replies and delivery receipts, in one transaction.
    func recordReplies<T>(_ body: (any ReplyLedger) throws -> T) throws -> T
}

/// What reply and receipt processing writes, inside `recordReplies`'s transaction.
public protocol ReplyLedger {
    func applyDelivery(_ status: ReceiptStatus, providerID: String, channel: Channel) throws -> Bool
    func contactID(address: String) throws -> String?
    func answeredMessage(contact: String?, channel: Channel, tracking: String?) throws -> AnsweredMessage?
    func recordInbound(
        channel: Channel, providerID: String, key: String, address: String, contact: String?, at time: Int64,
        body: String, kind: String, keyword: String?, answered: AnsweredMessage?, origin: String, button: Bool
    ) throws -> Bool
    @discardableResult
    func append(_ event: ConsentEvent) throws -> Bool
}
