/// The four outcome lists import writes.
public enum ImportList: String, Codable, Sendable, CaseIterable {
    /// On WhatsApp and consent usable (opted in).
    case whatsappReady = "whatsapp_ready"
    /// Reachable but needs new consent, or WhatsApp status unknown; Viber-only contacts.
    case reconsent
    /// Not on WhatsApp: stays on SMS/Viber.
    case unreachable
    /// Opted out (never messaged), or an input row normalize rejected.
    case rejected
    /// An input row with two valid readings and conflicting evidence: both candidate
    /// numbers, for a person to confirm; never messaged.
    case review
}
