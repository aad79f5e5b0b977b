import Foundation
import Hummingbird
import Logging
import NIOCore

/// The local contract server: the WhatsApp contacts API (login, contacts), the
/// Cloud API template routes, Twilio-style SMS and Viber's send_message, plus
/// `GET /_sandbox/stats` and `GET /_sandbox/messages` (what was received). Binds loopback only.
public struct SandboxServer: Sendable {
    public var configuration: SandboxConfiguration
    let state: SandboxState

    public init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        self.state = SandboxState(configuration: configuration)
    }

    public var stats: SandboxStats { state.snapshot() }

    /// Serves until SIGINT/SIGTERM (with `handleSignals`) or until the task is
    /// cancelled, then shuts down cleanly. `onListening` gets the bound port.
    public func run(handleSignals: Bool, logger: Logger, onListening: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        let login = LoginRoute(state: state, lifetime: configuration.tokenLifetime)
        let book = RegistrationBook(
            registered: configuration.registered, rate: configuration.registeredRate, seed: configuration.seed,
            allValid: configuration.allValid, aliases: configuration.aliases)
        let contacts = ContactsRoute(state: state, book: book, configuration: configuration)
        let state = self.state
        let templates = TemplatesRoute(book: TemplateBook(), configuration: configuration)
        // `/{WABA_ID}/message_templates`, or under a version: `/v21.0/{WABA_ID}/message_templates`.
        router.post(":waba/message_templates") { request, context in
            try await templates.create(request, waba: context.parameters.get("waba") ?? "")
        }
        router.post(":waba/:id/message_templates") { request, context in
            try await templates.create(request, waba: context.parameters.get("id") ?? "")
        }
        router.get(":waba/message_templates") { request, context in
            templates.list(request, waba: context.parameters.get("waba") ?? "")
        }
        router.get(":waba/:id/message_templates") { request, context in
            templates.list(request, waba: context.parameters.get("id") ?? "")
        }
        let messages = MessageLog()
        let sms = SMSRoute(log: messages, configuration: configuration)
        let viber = ViberRoute(log: messages, configuration: configuration)
        router.post("/2010-04-01/Accounts/:sid/Messages.json") { request, context in
            try await sms.create(request, account: context.parameters.get("sid") ?? "")
        }
        router.get("/2010-04-01/Accounts/:sid/Messages.json") { request, context in
            sms.list(request, account: context.parameters.get("sid") ?? "")
        }
        router.post("/pa/send_message") { request, _ in try await viber.send(request) }
        router.get("/_sandbox/messages") { request, _ -> Response in
            let entries = messages.all(channel: request.uri.queryParameters.get("channel"))
            let data = (try? JSONEncoder().encode(["messages": entries])) ?? Data()
            return WireJSON.raw(.ok, data)
        }
        router.post("/v1/users/login") { request, _ in try await login.handle(request) }
        router.post("/v1/contacts") { request, _ in try await contacts.handle(request) }
        router.get("/_sandbox/stats") { _, _ -> Response in
            let data = (try? JSONEncoder().encode(state.snapshot())) ?? Data()
            return WireJSON.raw(.ok, data)
        }
        let app = Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "wamigrate-sandbox"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        if handleSignals {
            try await app.runService()
        } else {
            try await app.runService(gracefulShutdownSignals: [])
        }
    }
}
