import Foundation
import HTTPServing
import Hummingbird
import Logging
import NIOCore

/// The local contract server: the WhatsApp contacts API (login, contacts), the
/// Cloud API template routes, messages (`/messages`: templates, text, read receipts,
/// typing indicators; `/marketing_messages`) with signed status webhooks to a configured
/// receiver, Graph error objects for unknown paths, Twilio-style SMS and Viber's
/// send_message, plus `GET /_sandbox/stats`, `/_sandbox/messages` (what was received)
/// and `/_sandbox/whatsapp` (template messages and webhooks). Binds loopback only.
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
        let templateBook = TemplateBook()
        let faults = FaultGate(configuration: configuration, state: state)
        let templates = TemplatesRoute(book: templateBook, configuration: configuration, faults: faults)
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
        // `GET /{template_id}`, or under a version: `/v21.0/{template_id}` (the first segment is
        // `:waba` in every Graph route, so the router keeps one node for it).
        router.get(":waba") { request, context in templates.get(request, id: context.parameters.get("waba") ?? "") }
        router.get(":waba/:id") { request, context in templates.get(request, id: context.parameters.get("id") ?? "") }
        let messages = MessageLog()
        let sms = SMSRoute(log: messages, configuration: configuration, faults: faults)
        let viber = ViberRoute(log: messages, configuration: configuration, faults: faults)
        router.post("/2010-04-01/Accounts/:sid/Messages.json") { request, context in
            try await sms.create(request, account: context.parameters.get("sid") ?? "")
        }
        router.get("/2010-04-01/Accounts/:sid/Messages.json") { request, context in
            sms.list(request, account: context.parameters.get("sid") ?? "")
        }
        router.post("/pa/send_message") { request, _ in try await viber.send(request) }
        let emitter = configuration.webhookURL.map { WebhookEmitter(url: $0, configuration: configuration) }
        defer { emitter?.stop() }
        let window = RecipientWindow()
        let cloud = CloudMessagesRoute(
            log: messages, templates: templateBook, book: book, users: UserDirectory(seed: configuration.seed),
            configuration: configuration, limit: window, emitter: emitter, faults: faults)
        // `/{version}/{phone-number-id}/messages` and the MM API's `/marketing_messages`.
        router.post(":waba/:id/messages") { request, context in
            try await cloud.send(request, phoneNumberID: context.parameters.get("id") ?? "", marketingAPI: false)
        }
        router.post(":waba/:id/marketing_messages") { request, context in
            try await cloud.send(request, phoneNumberID: context.parameters.get("id") ?? "", marketingAPI: true)
        }
        router.get("/_sandbox/whatsapp") { _, _ -> Response in
            let sent = messages.all(channel: "whatsapp")
            var perRecipient: [String: Int] = [:]
            for entry in sent { perRecipient[entry.to, default: 0] += 1 }
            let stats = WhatsAppStats(
                messages: sent.count, recipients: perRecipient.count, mostToOneRecipient: perRecipient.values.max() ?? 0,
                refusedOverLimit: window.refusedCount, webhooks: emitter?.stats ?? EmitterStats(),
                firstAt: sent.first?.receivedAt ?? 0, lastAt: sent.last?.receivedAt ?? 0,
                maxInOneSecond: SandboxState.maxInWindow(sent.map { ($0.receivedAt, 1) }, width: 1))
            let data = (try? JSONEncoder().encode(stats)) ?? Data()
            return WireJSON.raw(.ok, data)
        }
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
        // Last, so it wraps only the router's not-found answer: a Graph error object, not an empty 404.
        router.add(middleware: GraphFallback())
        try await ServerPolicy().serve(
            router: router, host: configuration.host, port: configuration.port, name: "wamigrate-sandbox",
            handleSignals: handleSignals, logger: logger, onListening: onListening)
    }
}
