import WamigrateModel

/// What a gateway said to one send request, in the send loop's words.
enum SendAnswer: Equatable {
    /// Taken: the provider's message id (a wamid, an SMS sid, a Viber message token).
    case accepted(String)
    /// Not sent to this person; recorded with the code, the run goes on. The channel says
    /// whether the code is the person's opt-out (`SendChannel.optOut`).
    case refused(code: String, reason: MessageReason)
    /// Not processed; safe to send again after a wait (429, 130429, Twilio 20429, Viber 12, no connection).
    case retry(after: Double?, why: String)
    /// The run cannot go on: credentials refused, template errors, account restrictions, the messaging limit.
    case stop(code: Int, why: String)
    /// The request may have arrived and no answer settles it (timeout, broken connection, a 5xx
    /// that does not say the message was refused): looked up or held in doubt, never sent again blindly.
    case unknown(String)
}
