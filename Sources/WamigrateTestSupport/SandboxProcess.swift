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

    /// Another server command of the binary (`webhook serve …`), started the same way.
    public init(command: [String], _ arguments: [String] = [], environment: [String: String] = [:]) throws {
        child = try SandboxChild(executable: Binary.path, command: command, arguments: arguments, environment: environment)
    }

    /// A GET answered with JSON, e.g. `/_sandbox/whatsapp`.
    public func json(_ path: String) throws -> [String: Any] { try child.json(path) }

    /// A request to its URL plus `suffix` (POST with a body): the status and the body as text.
    public func request(_ suffix: String = "", body: Data? = nil, headers: [(String, String)] = []) throws -> (
        status: Int, body: String
    ) {
        let response = try HTTPClient().send(HTTPRequest(url: url + suffix, headers: headers, body: body))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// What the child printed after its URL, once stopped (SIGTERM).
    public func output() -> String { child.output() }

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
