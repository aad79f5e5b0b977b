/// A Cloud API message status (`statuses[].status`), as `message_statuses.status` and
/// `wave_messages.delivery` keep it.
public enum CloudStatus: String, Codable, Sendable, CaseIterable {
    case sent, delivered, read, failed, deleted, warning
}

/// A campaign message's delivery as the SMS gateway (Twilio's `MessageStatus`) or Viber (its
/// callback event) reports it: `campaign_messages.delivery`.
public enum ReceiptStatus: String, Codable, Sendable, CaseIterable {
    case accepted, scheduled, queued, sending, sent, delivered, undelivered, failed, canceled, read, seen
    case receiving, received
    case partiallyDelivered = "partially_delivered"
}
