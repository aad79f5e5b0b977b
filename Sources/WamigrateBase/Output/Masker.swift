import Crypto
import Foundation

/// How reports, traces and diffs show people: masked by default, in full only
/// when asked, or as a keyed hash (HMAC-SHA256) that lets two reports made with
/// the same key be joined on the number without showing it.
public struct Masker: Sendable {
    public enum Mode: String, Codable, Sendable {
        case masked
        case unmasked
        case keyed = "hmac-sha256"
    }

    public let mode: Mode
    private let key: Data?
    /// The calling and destination codes of an E.164 number, as libphonenumber
    /// groups them (`+49 151`); nil when it cannot tell. Core's presets pass Phone's.
    private let visiblePrefix: @Sendable (String) -> String?

    /// `key`: for `.keyed`, numbers become `hmac:` and the first 16 hex digits of
    /// HMAC-SHA256(key, E.164). Core's `Masker.masked`, `.unmasked` and `.keyed(_:)`
    /// are the presets commands use.
    public init(mode: Mode, key: Data?, visiblePrefix: @escaping @Sendable (String) -> String?) {
        self.mode = mode
        self.key = key
        self.visiblePrefix = visiblePrefix
    }

    public static let dots = "•••"

    /// `+49 151 ••• ••89`: the calling and destination codes libphonenumber
    /// gives, then the last two digits. The length is not shown.
    public func number(_ e164: String) -> String {
        switch mode {
        case .unmasked: return e164
        case .keyed: return keyed(e164)
        case .masked:
            guard let prefix = visiblePrefix(e164) else { return raw(e164) }
            return "\(prefix) \(Self.dots) ••\(e164.suffix(2))"
        }
    }

    /// A contact address: `+E164` or `viber:<id>`.
    public func address(_ address: String) -> String {
        if address.hasPrefix("viber:") { return "viber:" + viber(String(address.dropFirst(6))) }
        return address.hasPrefix("+") ? number(address) : raw(address)
    }

    /// A Viber user id: its first and last two characters.
    public func viber(_ id: String) -> String {
        switch mode {
        case .unmasked: return id
        case .keyed: return keyed("viber:" + id)
        case .masked: return id.count <= 6 ? Self.dots : "\(id.prefix(2))\(Self.dots)\(id.suffix(2))"
        }
    }

    /// A cell as typed (a phone cell that may not even be a number): every
    /// digit but the last two and every letter but a word's first become •,
    /// so the shape that got it rejected stays visible.
    public func raw(_ text: String) -> String {
        if mode == .unmasked { return text }
        let digits = text.filter(\.isNumber).count
        var seenDigits = 0
        var out = ""
        var wordStart = true
        for character in text {
            if character.isNumber {
                seenDigits += 1
                out.append(seenDigits > digits - 2 ? character : "•")
                wordStart = false
            } else if character.isLetter {
                out.append(wordStart ? character : "•")
                wordStart = false
            } else {
                out.append(character)
                wordStart = true
            }
        }
        return out
    }

    /// `A••• M•••`: each word's first letter.
    public func name(_ name: String) -> String {
        if mode == .unmasked { return name }
        return name.split(whereSeparator: \.isWhitespace).map { "\($0.prefix(1))\(Self.dots)" }.joined(separator: " ")
    }

    /// `a•••@e•••.com`: first letters and the top-level domain.
    public func email(_ email: String) -> String {
        if mode == .unmasked { return email }
        guard let at = email.lastIndex(of: "@") else { return raw(email) }
        let local = email[..<at]
        let domain = email[email.index(after: at)...]
        let tld = domain.lastIndex(of: ".").map { String(domain[$0...]) } ?? ""
        return "\(local.prefix(1))\(Self.dots)@\(domain.prefix(1))\(Self.dots)\(tld)"
    }

    /// Free text that may hold numbers (a reply body): runs of 4+ digits masked.
    public func text(_ text: String) -> String {
        mode == .unmasked ? text : Redact.digits(text)
    }

    private func keyed(_ value: String) -> String {
        guard let key else { return Self.dots }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: SymmetricKey(data: key))
        return "hmac:" + Hex.string(Data(mac).prefix(8))
    }
}
