import Foundation
import WamigrateModel

/// Where a PostgreSQL job store lives: a `postgres://` (or `postgresql://`) URL as libpq takes
/// it, the password from `PGPASSWORD` (or `~/.pgpass`) rather than the URL, TLS as libpq's
/// `sslmode`, `sslrootcert` … query parameters say. The URL shown to people never has a password.
public struct PostgresAddress: Sendable, CustomStringConvertible {
    /// What libpq connects with, exactly as given.
    public let url: String

    /// True when `store` names a PostgreSQL server rather than a SQLite file.
    public static func names(_ store: String) -> Bool { StoreEngineName.of(store) == .postgres }

    public init?(_ store: String) {
        guard Self.names(store) else { return nil }
        url = store
    }

    /// The URL with any password in it replaced by `***` (between the user and `@`, and a
    /// `password=` parameter), for messages and logs.
    public var description: String {
        var shown = url
        // The user information is in the authority: after `://`, before the first `/` (libpq
        // reads a `?` before the `@` as part of the password).
        if let scheme = shown.range(of: "://") {
            let rest = shown[scheme.upperBound...]
            let authority = rest.contains("/") ? rest.prefix { $0 != "/" } : rest.prefix { $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                shown = String(shown[..<colon]) + ":***" + String(shown[at...])
            }
        }
        return shown.replacingOccurrences(
            of: "([?&]password=)[^&]*", with: "$1***", options: [.regularExpression, .caseInsensitive])
    }
}

extension PostgresAddress {
    /// The password the URL carries (between the user and `@`, or a `password=` parameter),
    /// to hide it from libpq's own messages.
    var password: String? {
        let hidden = description
        guard hidden != url else { return nil }
        // What differs between the URL and its description is the password.
        let prefix = zip(url, hidden).prefix { $0 == $1 }.count
        let suffix = zip(url.reversed(), hidden.reversed()).prefix { $0 == $1 }.count
        let start = url.index(url.startIndex, offsetBy: prefix)
        let end = url.index(url.endIndex, offsetBy: -suffix)
        return start < end ? String(url[start..<end]) : nil
    }

    /// `text` (a command line) with the password of every PostgreSQL URL in it hidden, wherever
    /// the URL starts in a word (`--store=postgres://…` too).
    public static func redactingPasswords(in text: String) -> String {
        let pattern = try! NSRegularExpression(pattern: "postgres(ql)?://[^\\s]*")
        var out = ""
        var last = text.startIndex
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let range = Range(match.range, in: text)!
            out += text[last..<range.lowerBound] + (PostgresAddress(String(text[range]))?.description ?? "")
            last = range.upperBound
        }
        return out + text[last...]
    }
}
