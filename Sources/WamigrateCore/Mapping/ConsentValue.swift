/// A row's consent as the export states it.
public enum ConsentState: String, Codable, Sendable {
    case optedIn = "opted_in"
    case optedOut = "opted_out"
    case unknown

    static let builtInOptedIn: Set<String> = [
        "yes", "y", "true", "1", "optedin", "optin", "subscribed", "granted", "accepted", "active", "ja", "oui",
        "si", "sí", "da", "tak", "sim", "start", "unstop", "confirmed", "doubleoptin",
    ]
    static let builtInOptedOut: Set<String> = [
        "no", "n", "false", "0", "optedout", "optout", "unsubscribed", "revoked", "withdrawn", "denied", "stop",
        "stopall", "blocked", "nein", "non", "nie", "não", "nao", "inactive", "cancelled", "canceled", "end",
        "quit", "bounced", "blacklisted", "blocklisted",
    ]

    /// Parses a consent cell; `extra` are the profile's own words.
    static func parse(_ raw: String, extra: MappingProfile.ConsentValues?) -> ConsentState {
        let key = String(raw.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
        if key.isEmpty { return .unknown }
        if let words = extra?.optedOut, words.contains(where: { $0.lowercased() == raw.lowercased() }) { return .optedOut }
        if let words = extra?.optedIn, words.contains(where: { $0.lowercased() == raw.lowercased() }) { return .optedIn }
        if builtInOptedOut.contains(key) { return .optedOut }
        if builtInOptedIn.contains(key) { return .optedIn }
        return .unknown
    }
}
