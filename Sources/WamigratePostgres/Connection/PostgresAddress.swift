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
        // The user information is in the authority: after `://`, before the first `/` or `?`.
        if let scheme = shown.range(of: "://") {
            let authority = shown[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                shown = String(shown[..<colon]) + ":***" + String(shown[at...])
            }
        }
        return shown.replacingOccurrences(
            of: "([?&]password=)[^&]*", with: "$1***", options: [.regularExpression, .caseInsensitive])
    }
}

extension PostgresAddress {
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
