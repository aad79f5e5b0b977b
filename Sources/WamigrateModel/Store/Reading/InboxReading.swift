import Foundation

/// The job's webhook inbox, as kept: every body once, however often it was delivered,
/// byte for byte as it was signed.
public protocol InboxReading: AnyObject {
    /// Every body in the inbox, processed or not, oldest first.
    func inboxBodies() throws -> [InboxBody]
}
