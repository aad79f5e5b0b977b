/// The way a message goes out or an event came in: `channel` in the store's tables, the
/// `:channel` half of a consent source, the keys of a campaign's throttles.
public enum Channel: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable {
    case sms, viber, whatsapp

    /// The channels a re-consent campaign sends on.
    public static let campaign: [Channel] = [.sms, .viber]
}
