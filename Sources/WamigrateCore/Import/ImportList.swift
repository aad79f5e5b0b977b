import WamigrateModel

extension ImportList {
    /// Where a contact goes, from its consent ledger tally (every source, and
    /// the sources the policy counts for WhatsApp). Opted-out people are never
    /// put on a list that is messaged, and go out on no channel.
    static func place(tally: ConsentTally, e164: String?, status: RegistrationStatus?) -> (
        ImportList, channel: Channel?, reason: ListReason?
    ) {
        if tally.state == .optedOut { return (.rejected, nil, .optedOut) }
        guard e164 != nil else { return (.reconsent, .viber, .viberOnly) }
        switch status ?? .unknown {
        case .onWhatsApp:
            if tally.whatsappState == .optedIn { return (.whatsappReady, .whatsapp, nil) }
            return (.reconsent, .sms, tally.state == .optedIn ? .consentSourceNotCounted : .consentNotExplicit)
        case .notOnWhatsApp: return (.unreachable, .sms, .notOnWhatsApp)
        case .unknown: return (.reconsent, .sms, .whatsappStatusUnknown)
        }
    }
}
