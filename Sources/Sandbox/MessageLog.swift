import Foundation

/// Every SMS and Viber message the sandbox accepted, in arrival order, so tests
/// and rehearsals can check exactly who got what (`GET /_sandbox/messages`).
final class MessageLog: @unchecked Sendable {
    struct Entry: Codable, Sendable {
        var channel: String
        var id: String
        var to: String
        var from: String
        var body: String
        /// The client's idempotency key: the `Idempotency-Key` header (SMS) or `tracking_data` (Viber).
        var key: String?
        /// The URL of a keyboard button, when the Viber message has one.
        var buttonURL: String?
        var receivedAt: Double

        enum CodingKeys: String, CodingKey {
            case channel, id, to, from, body, key
            case buttonURL = "button_url"
            case receivedAt = "received_at"
        }
    }

    private let lock = NSLock()
    private var entries: [Entry] = []
    private var sequence: UInt64 = 0

    /// The next request number (for fault draws and ids).
    func nextSequence() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        sequence += 1
        return sequence
    }

    func record(_ entry: Entry) {
        lock.lock()
        entries.append(entry)
        lock.unlock()
    }

    func all(channel: String? = nil) -> [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return entries.filter { channel == nil || $0.channel == channel }
    }
}
