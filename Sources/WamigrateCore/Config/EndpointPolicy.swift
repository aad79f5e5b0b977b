import Foundation
import WamigrateBase

/// Which URLs the tool sends credentials and personal data to: `https://` anywhere, or
/// `http://` only to this machine (the sandbox, a local gateway). `file://`, `ftp://`
/// and plain HTTP across a network are usage errors: libcurl would read local files
/// or send passwords and numbers in clear text.
public enum EndpointPolicy {
    public static func check(_ url: String, option: String) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host, !host.isEmpty
        else {
            throw WamigrateError(
                .usage, "\(option) is not a URL", hint: "give an https:// URL (or http://127.0.0.1:PORT for the sandbox)")
        }
        if scheme == "https" { return }
        if scheme == "http", isLoopback(host) { return }
        throw WamigrateError(
            .usage, "\(option) must be https:// (or http:// to this machine); got a \(scheme):// URL to \(host)",
            hint: "use the endpoint's https:// URL; plain http is allowed only to 127.0.0.1, ::1 or localhost")
    }

    /// Literal loopback addresses and `localhost` only: a name such as `127.attacker.example`
    /// is resolved by DNS and may be anywhere.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber } && Int(part)! <= 255
            }
    }
}
