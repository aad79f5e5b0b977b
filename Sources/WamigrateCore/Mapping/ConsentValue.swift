import WamigrateModel

extension ConsentState {
    static let builtInOptedIn: Set<String> = [
        "yes", "y", "true", "1", "optedin", "optin", "subscribed", "granted", "accepted", "active", "ja", "oui",
        "si", "sí", "da", "tak", "sim", "start", "unstop", "confirmed", "doubleoptin", "subscribe", "angemeldet",
        "abonniert", "einverstanden", "zugestimmt", "да", "так", "optedin", "optin", "consented", "allowed",
    ]
    static let builtInOptedOut: Set<String> = [
        "no", "n", "false", "0", "optedout", "optout", "unsubscribed", "revoked", "withdrawn", "denied", "stop",
        "stopall", "blocked", "nein", "non", "nie", "não", "nao", "inactive", "cancelled", "canceled", "end",
        "quit", "bounced", "blacklisted", "blocklisted", "unsubscribe", "abgemeldet", "abbestellt", "widerrufen",
        "нет", "ні", "отписан", "відписаний", "declined", "refused", "dnc", "donotcontact", "optedout",
    ]
    /// Words that say consent is not known: read, not an error.
    static let builtInUnknown: Set<String> = [
        "unknown", "pending", "unconfirmed", "none", "null", "na", "nil", "unbekannt", "offen", "ausstehend",
    ]

    /// Parses a consent cell; `extra` are the profile's own words.
    static func parse(_ raw: String, extra: MappingProfile.ConsentValues?) -> ConsentState {
        read(raw, extra: extra) ?? .unknown
    }

    /// The cell lowercased with only its letters and digits: "Opt-In" → "optin". ASCII cells
    /// (nearly all) skip the Unicode property tables.
    static func key(_ raw: String) -> String {
        if raw.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(raw.utf8.count)
            for byte in raw.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): bytes.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
                default: break
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(raw.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    }

    /// nil when the cell holds something that is not a consent word: the caller must
    /// not guess (an unread "abgemeldet" would lose an opt-out).
    static func read(_ raw: String, extra: MappingProfile.ConsentValues?) -> ConsentState? {
        let key = Self.key(raw)
        if key.isEmpty || builtInUnknown.contains(key) { return .unknown }
        if let words = extra?.optedOut, words.contains(where: { $0.lowercased() == raw.lowercased() }) { return .optedOut }
        if let words = extra?.optedIn, words.contains(where: { $0.lowercased() == raw.lowercased() }) { return .optedIn }
        if builtInOptedOut.contains(key) { return .optedOut }
        if builtInOptedIn.contains(key) { return .optedIn }
        return nil
    }

    /// An opt-out column (`opt_out`, `unsubscribed`, `dnc`): yes means opted out, no
    /// means nothing; nil when the cell reads as neither.
    static func readOptOut(_ raw: String, extra: MappingProfile.ConsentValues?) -> ConsentState? {
        let key = Self.key(raw)
        if key.isEmpty || builtInUnknown.contains(key) { return .unknown }
        if ["yes", "y", "true", "1", "x", "ja", "j", "oui", "si", "sí", "da", "да", "так", "tak", "sim"].contains(key) {
            return .optedOut
        }
        if ["no", "n", "false", "0", "nein", "non", "nie", "não", "nao", "нет", "ні"].contains(key) { return .unknown }
        // A word in the column ("STOP", "unsubscribed", "subscribed") says what it says.
        return read(raw, extra: extra).flatMap { $0 == .optedOut ? .optedOut : .unknown }
    }
}
