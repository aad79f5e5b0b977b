import Foundation

/// Registration decided from delivery evidence (status webhooks, provider reports).
public protocol DeliveryEvidenceStore: AnyObject {
    /// The writes of one batch of evidence, in one transaction.
    func recordDeliveryEvidence<T>(verifier: String, _ body: (any DeliveryRegistrations) throws -> T) throws -> T
}

/// What delivery evidence writes to the registrations, inside `recordDeliveryEvidence`.
public protocol DeliveryRegistrations {
    /// Digits of every contact's number, and of every wa_id already known, to the E.164 number.
    func numberIndex() throws -> [String: String]
    func number(waID: String) throws -> String?
    /// A decisive status: the number is (or is not) on WhatsApp, final; `userID` is the BSUID the status named.
    func decide(
        _ e164: String, status: RegistrationStatus, answer: String, waID: String?, userID: String?, at time: Int64,
        reason: String) throws
    /// A status that says nothing about registration: the reason is kept, the status stays.
    func note(_ e164: String, answer: String, at time: Int64, reason: String) throws
}
