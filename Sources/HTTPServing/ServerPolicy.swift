import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import WamigrateBase

/// How a local server (the sandbox, the webhook receiver) treats connections: an idle
/// connection, or one whose request headers stall, is closed after `idleSeconds`; at most
/// `maxConnections` are open at once (more wait in the listen backlog, so descriptors
/// never run out); a refused body closes its connection (`ResponseGate`).
public struct ServerPolicy: Sendable {
    public var idleSeconds = 15.0
    public var maxConnections = 200

    public init(idleSeconds: Double = 15, maxConnections: Int = 200) {
        self.idleSeconds = idleSeconds
        self.maxConnections = maxConnections
    }

    /// Serves `router` until SIGINT/SIGTERM (with `handleSignals`) or cancellation. A bind that
    /// fails (port in use, an address not on this machine) is a clear `E_USAGE` error.
    public func serve(
        router: Router<BasicRequestContext>, host: String, port: Int, name: String, handleSignals: Bool,
        logger: Logger, onListening: @escaping @Sendable (Int) -> Void
    ) async throws {
        let app = Application(
            router: router,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [ResponseGate()],
                    idleTimeout: .milliseconds(Int64(idleSeconds * 1000)))),
            configuration: .init(
                address: .hostname(host, port: port), serverName: name,
                availableConnectionsDelegate: MaximumAvailableConnections(maxConnections)),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        do {
            if handleSignals {
                try await app.runService()
            } else {
                try await app.runService(gracefulShutdownSignals: [])
            }
        } catch {
            throw BindFailure.explain(error, host: host, port: port) ?? error
        }
    }

    /// A response that refuses the request and closes the connection after it.
    public static func refuse(_ status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.connection: "close", .contentLength: "0"])
    }

    /// A response the client never sees: the connection closes instead (sandbox faults).
    public static func dropConnection() -> Response {
        Response(status: .ok, headers: [ResponseGate.dropHeader: "1"])
    }
}
