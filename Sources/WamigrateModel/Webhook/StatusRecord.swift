import Foundation

/// One Cloud API message status as the store keeps it (`message_statuses`).
public struct StatusRecord: Sendable {
    public var id: Int64 = 0
    public var wamid: String
    public var status: CloudStatus
    public var at: Int64
    /// The wa_id digits.
    public var recipient: String
    /// The business-scoped user id (BSUID).
    public var userID: String?
    public var errorCodes: [Int]
    public var errorTitle: String?
    /// `biz_opaque_callback_data`: a wave message's idempotency key.
    public var callback: String?

    public init(
        wamid: String, status: CloudStatus, at: Int64, recipient: String, userID: String?, errorCodes: [Int],
        errorTitle: String?, callback: String?
    ) {
        self.wamid = wamid
        self.status = status
        self.at = at
        self.recipient = recipient
        self.userID = userID
        self.errorCodes = errorCodes
        self.errorTitle = errorTitle
        self.callback = callback
    }
}
