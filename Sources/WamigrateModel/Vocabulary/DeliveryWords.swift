/// A Cloud API message status (`statuses[].status`), as `message_statuses.status` and
/// `wave_messages.delivery` keep it.
public enum CloudStatus: String, Codable, Sendable, CaseIterable {
    case sent, delivered, read, failed, deleted, warning

    /// SQL ranking the status `expression` names: a wave message's `delivery` only moves to a
    /// more meaningful status (sent < failed < delivered < read), whatever the arrival order.
    public static func rankSQL(_ expression: String) -> String {
        let ranks = [CloudStatus.sent, .failed, .delivered, .read].enumerated().map { "WHEN '\($1.rawValue)' THEN \($0 + 1)" }
        return "CASE \(expression) \(ranks.joined(separator: " ")) ELSE 0 END"
    }
}

/// A campaign message's delivery as the SMS gateway (Twilio's `MessageStatus`) or Viber (its
/// callback event) reports it: `campaign_messages.delivery`.
public enum ReceiptStatus: String, Codable, Sendable, CaseIterable {
    case accepted, scheduled, queued, sending, sent, delivered, undelivered, failed, canceled, read, seen
    case receiving, received
    case partiallyDelivered = "partially_delivered"
}
