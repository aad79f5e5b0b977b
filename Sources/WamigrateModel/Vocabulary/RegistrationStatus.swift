/// A number's WhatsApp status as the job records it, whatever the verifier.
public enum RegistrationStatus: String, Codable, Sendable, CaseIterable {
    case onWhatsApp = "on_whatsapp"
    case notOnWhatsApp = "not_on_whatsapp"
    case unknown

    /// The contacts API's word, mapped; `final` answers are cached until they age out.
    public static func fromContactsAPI(_ answer: String) -> (status: RegistrationStatus, final: Bool, reason: String?) {
        switch answer {
        case "valid": (.onWhatsApp, true, nil)
        case "invalid": (.notOnWhatsApp, true, nil)
        case "processing": (.unknown, false, "the endpoint was still processing the number")
        default: (.unknown, false, "the endpoint answered '\(answer)'")
        }
    }
}
