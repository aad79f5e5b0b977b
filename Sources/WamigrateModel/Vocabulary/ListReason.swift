/// Why import put a contact on its list (`import_lists.reason`); a `whatsapp_ready` contact has none.
public enum ListReason: String, Codable, Sendable, CaseIterable {
    case optedOut = "opted_out"
    case viberOnly = "viber_only"
    /// On WhatsApp and opted in, but by a source the job's policy does not count for WhatsApp.
    case consentSourceNotCounted = "consent_source_not_counted"
    case consentNotExplicit = "consent_not_explicit"
    case notOnWhatsApp = "not_on_whatsapp"
    case whatsappStatusUnknown = "whatsapp_status_unknown"

    /// On WhatsApp, and only the consent is missing.
    public var consentOnly: Bool { self == .consentSourceNotCounted || self == .consentNotExplicit }
}
