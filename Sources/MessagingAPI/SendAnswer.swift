/// What a gateway said to one send request.
enum SendAnswer: Equatable {
    /// Taken: the provider's message id.
    case accepted(String)
    /// Refused for this recipient; `unsubscribed` means the person opted out at the gateway.
    case refused(code: String, reason: String, unsubscribed: Bool)
    /// Not processed; safe to send again after a wait (429, 5xx, Twilio 20429, Viber 12).
    case retry(after: Double?, why: String)
    /// The credentials were refused: stop the run.
    case authFailed(String)
    /// No answer after the request may have arrived (timeout, broken connection).
    case unknown(String)
}
