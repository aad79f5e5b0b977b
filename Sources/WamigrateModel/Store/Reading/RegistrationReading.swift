import Foundation

/// The registration answers a store holds, one per number, as an auditor lists them.
public protocol RegistrationReading: AnyObject {
    /// Every number's answer, by number.
    func registrations() throws -> [RegistrationRecord]
}

/// One number's registration answer: what was decided, by which verifier, on what word.
public struct RegistrationRecord: Sendable, Equatable {
    public var e164: String
    public var status: RegistrationStatus
    /// The verifier's own word: valid, invalid, failed 131026, …
    public var answer: String
    public var waID: String?
    /// The BSUID a status named.
    public var userID: String?
    public var verifier: String
    public var reason: String?

    public init(
        e164: String, status: RegistrationStatus, answer: String, waID: String?, userID: String?, verifier: String,
        reason: String?
    ) {
        self.e164 = e164
        self.status = status
        self.answer = answer
        self.waID = waID
        self.userID = userID
        self.verifier = verifier
        self.reason = reason
    }
}
