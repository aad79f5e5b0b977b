import Foundation

/// One webhook body in the inbox.
public struct InboxBody: Codable, Sendable {
    public var id: Int64
    public var origin: String
    public var body: Data
    /// When the receiver (or `webhook ingest`) got it, Unix seconds.
    public var receivedAt: Int64

    public init(id: Int64, origin: String, body: Data, receivedAt: Int64) {
        self.id = id
        self.origin = origin
        self.body = body
        self.receivedAt = receivedAt
    }
}
