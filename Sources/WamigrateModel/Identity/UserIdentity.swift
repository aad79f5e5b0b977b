import Foundation

/// A business-scoped user id seen in a webhook, with what came beside it.
public struct UserIdentity: Sendable, Equatable {
    public var userID: String
    /// Digits of the number it came with; nil when the webhook left the number out.
    public var waID: String?
    public var parentUserID: String?
    public var username: String?
    public var at: Int64
    /// status | message | contacts | preference | system
    public var source: String

    public init(userID: String, waID: String?, parentUserID: String?, username: String?, at: Int64, source: String) {
        self.userID = userID
        self.waID = waID
        self.parentUserID = parentUserID
        self.username = username
        self.at = at
        self.source = source
    }
}

/// A `user_changed_user_id` or `user_changed_number` system message.
public struct IdentityChange: Sendable, Equatable {
    public var kind: String
    public var previousUserID: String?
    public var userID: String?
    public var previousWaID: String?
    public var waID: String?
    public var at: Int64?
    public var origin: String

    public init(
        kind: String, previousUserID: String?, userID: String?, previousWaID: String?, waID: String?, at: Int64?,
        origin: String
    ) {
        self.kind = kind
        self.previousUserID = previousUserID
        self.userID = userID
        self.previousWaID = previousWaID
        self.waID = waID
        self.at = at
        self.origin = origin
    }
}

/// The platform's word that the person behind a number moved to another (`user_changed_number`).
public struct NumberMove: Sendable, Equatable {
    /// The BSUID that still reaches the person (the newest in its chain of user id changes); nil when none was seen.
    public var userID: String?
    /// Digits of the number they moved to, when the message named it.
    public var newWaID: String?

    public init(userID: String?, newWaID: String?) {
        self.userID = userID
        self.newWaID = newWaID
    }
}
