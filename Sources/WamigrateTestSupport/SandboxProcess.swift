import ContactsAPI
import Foundation
import WamigrateBench
import WamigrateHTTP

/// The built binary's sandbox on a free loopback port, for one test.
public final class SandboxProcess {
    private let child: SandboxChild

    public var url: String { child.url }

    public init(_ arguments: [String] = [], environment: [String: String] = [:]) throws {
        child = try SandboxChild(executable: Binary.path, arguments: arguments, environment: environment)
    }

    public func stats() throws -> [String: Any] { try child.stats() }

    public func stat(_ key: String) throws -> Int { (try stats()[key] as? NSNumber)?.intValue ?? -1 }

    public func fault(_ kind: String) throws -> Int {
        ((try stats()["faults"] as? [String: Any])?[kind] as? NSNumber)?.intValue ?? 0
    }

    /// The SMS and Viber messages the sandbox accepted, in arrival order (`channel`, `to`, `body`, `key`, ...).
    public func messages(channel: String? = nil) throws -> [[String: Any]] {
        let query = channel.map { "?channel=\($0)" } ?? ""
        let response = try HTTPClient().send(HTTPRequest(url: url + "/_sandbox/messages" + query))
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        return object?["messages"] as? [[String: Any]] ?? []
    }

    /// SIGTERM, then the exit status (0 when it shut down cleanly).
    public func stop() -> Int32 { child.stop() }
}
