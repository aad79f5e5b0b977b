/// Why a campaign or wave message is where it is (`campaign_messages.reason`,
/// `wave_messages.reason`): left out of the plan, held before its request, refused by a
/// gateway, planned again, recovered or in doubt.
///
/// A word type rather than an enum: the set is open. A refusal can carry the platform's
/// code (`refused_131000`) or the provider's own words (Viber's `status_message`), and a
/// plan names the parameter it missed (`missing_parameter:name`). The words the tool
/// decides are the static members, so a misspelt one does not compile.
public struct MessageReason: RawRepresentable, Hashable, Sendable {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    // MARK: - Not planned, or held before the request

    public static let optedOut = MessageReason(rawValue: "opted_out")
    public static let alreadyConsented = MessageReason(rawValue: "already_consented")
    public static let channelNotSelected = MessageReason(rawValue: "channel_not_selected")
    public static let noText = MessageReason(rawValue: "no_text")
    public static let noSlot = MessageReason(rawValue: "no_slot")
    public static let consentNotCounted = MessageReason(rawValue: "consent_not_counted")
    public static let noNumber = MessageReason(rawValue: "no_number")
    public static let duplicateNumber = MessageReason(rawValue: "duplicate_number")
    /// In a rollout's holdout: kept on the legacy channel to measure the migration's own effect.
    public static let holdout = MessageReason(rawValue: "holdout")
    public static func missingParameter(_ field: String) -> MessageReason {
        MessageReason(rawValue: "missing_parameter:\(field)")
    }
    /// The platform said the person moved off the number and named no BSUID to reach them by.
    public static let numberChangedNoUserID = MessageReason(rawValue: "number_changed_no_user_id")
    /// The person moved off the number, and an authentication template cannot go to a BSUID.
    public static let numberChangedAuthenticationNeedsNumber = MessageReason(
        rawValue: "number_changed_authentication_needs_number")

    // MARK: - Planned again, recovered or in doubt

    public static let recovered = MessageReason(rawValue: "recovered")
    public static let resendInDoubt = MessageReason(rawValue: "resend_in_doubt")
    public static let noAnswer = MessageReason(rawValue: "no_answer")
    public static let noAnswerViber = MessageReason(rawValue: "no_answer_viber")
    public static let settledByWebhook = MessageReason(rawValue: "settled_by_webhook")
    public static let noStatusInSettleWindow = MessageReason(rawValue: "no_status_in_settle_window")
    public static let retriesExhausted = MessageReason(rawValue: "retries_exhausted")

    // MARK: - Refused by a gateway

    public static let refused = MessageReason(rawValue: "refused")
    /// A Cloud API code with no word of its own.
    public static func refused(code: Int) -> MessageReason { MessageReason(rawValue: "refused_\(code)") }
    public static let marketingLimit = MessageReason(rawValue: "marketing_limit")
    public static let undeliverable = MessageReason(rawValue: "undeliverable")
    public static let marketingOptOut = MessageReason(rawValue: "marketing_opt_out")
    public static let bsuidNotSupported = MessageReason(rawValue: "bsuid_not_supported")
    public static let outsideWindow = MessageReason(rawValue: "outside_window")
    public static let unsubscribed = MessageReason(rawValue: "unsubscribed")
    public static let invalidNumber = MessageReason(rawValue: "invalid_number")
    public static let notSMSCapable = MessageReason(rawValue: "not_sms_capable")
    public static let unverifiedNumber = MessageReason(rawValue: "unverified_number")
    public static let notViberUser = MessageReason(rawValue: "not_viber_user")
    public static let notSubscribed = MessageReason(rawValue: "not_subscribed")
}
