import Foundation

/// The whole consent ledger, as an auditor reads it (`consentHistory` reads one person's part).
public protocol LedgerReading: AnyObject {
    /// Every event, in the order it was appended.
    func consentEvents() throws -> [ConsentEvent]
}
