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

    /// The URL with any password in it replaced by `***`, for messages and logs.
    public var description: String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let userInfo = url[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}

extension PostgresAddress {
    /// `text` (a command line) with the password of every PostgreSQL URL in it hidden.
    public static func redactingPasswords(in text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word in
            PostgresAddress(String(word))?.description ?? String(word)
        }.joined(separator: " ")
    }
}
