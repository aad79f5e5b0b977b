import WamigrateModel

extension ImportList {
    /// Where a contact goes, from its consent ledger tally (every source, and
    /// the sources the policy counts for WhatsApp). Opted-out people are never
    /// put on a list that is messaged.
    static func place(tally: ConsentTally, e164: String?, status: RegistrationStatus?) -> (
        ImportList, channel: String, reason: String?
    ) {
        if tally.state == .optedOut { return (.rejected, "none", "opted_out") }
        guard e164 != nil else { return (.reconsent, "viber", "viber_only") }
        switch status ?? .unknown {
        case .onWhatsApp:
            if tally.whatsappState == .optedIn { return (.whatsappReady, "whatsapp", nil) }
            return (.reconsent, "sms", tally.state == .optedIn ? "consent_source_not_counted" : "consent_not_explicit")
        case .notOnWhatsApp: return (.unreachable, "sms", "not_on_whatsapp")
        case .unknown: return (.reconsent, "sms", "whatsapp_status_unknown")
        }
    }
}
