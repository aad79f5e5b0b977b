import Foundation
import WamigrateCore

/// What the receiver took and did.
public struct ReceiverSummary: Codable, Sendable {
    public var stored = 0
    public var redeliveries = 0
    /// Posts refused with 401: bad or missing signature.
    public var refused = 0
    /// Posts answered 503 because the spool could not keep them (the sender retries).
    public var failed = 0
    public var verifications = 0
    public var verificationsRefused = 0
    public var processing = WebhookSummary()
    /// Processing passes skipped because the last one failed (the error is logged; the spool keeps everything).
    public var processingErrors = 0
}

final class ReceiverCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var summary = ReceiverSummary()

    func add(_ field: WritableKeyPath<ReceiverSummary, Int>) {
        lock.lock()
        summary[keyPath: field] += 1
        lock.unlock()
    }

    func snapshot() -> ReceiverSummary {
        lock.lock()
        defer { lock.unlock() }
        return summary
    }
}
