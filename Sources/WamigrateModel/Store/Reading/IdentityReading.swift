import Foundation

/// The identities and limits the platform's webhooks announced, as kept.
public protocol IdentityReading: AnyObject {
    /// Every (BSUID, number) pair seen, by BSUID then number; `waID` nil when none was seen with it.
    func userIdentities() throws -> [UserIdentity]
    /// Every `user_changed_user_id` / `user_changed_number`, in the order they were kept.
    func identityChanges() throws -> [IdentityChange]
    /// Every messaging-limit announcement, in the order they were kept.
    func platformLimits() throws -> [PlatformLimit]
}
