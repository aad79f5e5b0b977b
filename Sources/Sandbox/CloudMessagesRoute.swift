import Foundation
import Hummingbird

/// The Cloud API's `POST /{version}/{phone-number-id}/messages` and `/marketing_messages`:
/// bearer token; a template message must name a template created here and approved
/// (132001 otherwise, unless templates are not strict) and fill its parameters (132000);
/// the messaging limit (unique recipients per rolling 24 h) is enforced; the answer is
/// `{"contacts":[…],"messages":[{"id":"wamid…"}]}`. Free-form text, mark-as-read and typing
/// indicators are in `CloudMessagesRoute+Session`. What happens to a message comes later,
/// as signed status webhooks (`WebhookEmitter`): sent, delivered, read; failed 131026 for
/// numbers not on WhatsApp, 131049 for MARKETING templates to +1 numbers (US marketing block).
struct CloudMessagesRoute: Sendable {
    var log: MessageLog
    var templates: TemplateBook
    var book: RegistrationBook
    var users: UserDirectory
    var configuration: SandboxConfiguration
    var limit: RecipientWindow
    var emitter: WebhookEmitter?
    var faults: FaultGate

    func send(_ request: Request, phoneNumberID: String, marketingAPI: Bool) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(configuration.graphToken)" else { return GraphError.unauthorized() }
        let body = try await request.body.collect(upTo: 1 << 16)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
            object["messaging_product"] as? String == "whatsapp"
        else {
            return GraphError.invalidParameter("messaging_product must be whatsapp")
        }
        if !marketingAPI && object["status"] as? String == "read" { return markRead(object) }
        // The Cloud API takes `type` as text when it is left out.
        switch object["type"] as? String ?? "text" {
        case "template": return try await sendTemplate(object, phoneNumberID: phoneNumberID, marketingAPI: marketingAPI)
        case "text" where !marketingAPI: return try await sendText(object, phoneNumberID: phoneNumberID)
        default:
            return GraphError.invalidParameter(
                marketingAPI
                    ? "/marketing_messages takes template messages"
                    : "the sandbox takes template and text messages, read receipts and typing indicators")
        }
    }

    private func sendTemplate(_ object: [String: Any], phoneNumberID: String, marketingAPI: Bool) async throws -> Response {
        guard let template = object["template"] as? [String: Any], let name = template["name"] as? String,
            let language = (template["language"] as? [String: Any])?["code"] as? String
        else {
            return GraphError.invalidParameter("a template message needs template.name and template.language.code")
        }
        let (recipient, fault): (CloudRecipient, FaultPlan.Kind?)
        switch try await admit(object) {
        case .go(let who, let drawn): (recipient, fault) = (who, drawn)
        case .answer(let response): return response
        }
        let entry = templates.find(name: name, language: language)
        if configuration.strictTemplates {
            guard let entry else {
                return GraphError.answer(
                    .notFound, code: 132_001, message: "(#132001) Template name does not exist in the translation",
                    user: "template name (\(name)) does not exist in \(language)",
                    details: "template name (\(name)) does not exist in \(language)")
            }
            guard entry.status == "APPROVED" else {
                let code = entry.status == "PAUSED" ? 132_015 : 132_016
                return GraphError.answer(
                    .badRequest, code: code, message: "(#\(code)) Template is \(entry.status.lowercased())",
                    details: "template \(name) is \(entry.status)")
            }
        }
        if let entry {
            if case .user = recipient, entry.category == "AUTHENTICATION" {
                return GraphError.answer(
                    .badRequest, code: 131_062,
                    message: "(#131062) Business-scoped User ID (BSUID) recipients are not supported for this message.",
                    details: "authentication templates need a phone number in to")
            }
            if let details = TemplateArity.mismatch(entry, components: template["components"] as? [[String: Any]] ?? []) {
                return GraphError.answer(
                    .badRequest, code: 132_000,
                    message: "(#132000) Number of parameters does not match the expected number of params", details: details)
            }
        }
        let category = entry?.category ?? "UTILITY"
        if marketingAPI && category != "MARKETING" {
            return GraphError.invalidParameter("only MARKETING templates go through /marketing_messages")
        }
        guard limit.admit(recipient.key, cap: configuration.messagingLimit) else {
            return GraphError.answer(
                .badRequest, code: 4, message: "(#4) Application request limit reached",
                user: "messaging limit of \(configuration.messagingLimit ?? 0) unique recipients per 24 h reached (sandbox)")
        }
        return try await accept(
            object, to: recipient, body: name, phoneNumberID: phoneNumberID, waba: entry?.waba, category: category,
            fault: fault)
    }

    /// Logs the message, schedules its status webhooks and answers with its wamid.
    func accept(
        _ object: [String: Any], to recipient: CloudRecipient, body: String, phoneNumberID: String, waba: String?,
        category: String, fault: FaultPlan.Kind?
    ) async throws -> Response {
        let sequence = log.nextSequence()
        let wamid = "wamid.SBX" + String(Mix.hash(configuration.seed ^ 0x3A7, sequence), radix: 16).uppercased()
        let callback = object["biz_opaque_callback_data"] as? String
        log.record(
            .init(
                channel: "whatsapp", id: wamid, to: recipient.key, from: phoneNumberID, body: body, key: callback,
                buttonURL: nil, receivedAt: Date().timeIntervalSince1970))
        if let emitter {
            let message = StatusWebhook.Message(
                wamid: wamid, phoneNumberID: phoneNumberID, waba: waba ?? templates.firstWABA ?? configuration.wabaID,
                callback: callback, category: category.lowercased(), template: body)
            var (who, outcome) = fate(recipient, marketing: category == "MARKETING")
            if case .delivered = outcome, let behaviour = configuration.templateBehaviour[body],
                Mix.unit(configuration.seed &+ 0xB10C, body + "|" + recipient.key) < behaviour.block
            {
                outcome = .failed(code: 131_026, title: "Message undeliverable", details: "Message Undeliverable.")
                who = StatusWebhook.Recipient(waID: who.waID, userID: nil, name: nil)
            }
            emitter.schedule(message, to: who, outcome, sequence: sequence, person: recipient.key)
        }
        if configuration.messageDelay > 0 { try await Task.sleep(nanoseconds: UInt64(configuration.messageDelay * 1e9)) }
        return try await faults.answer(
            fault, .ok,
            [
                "messaging_product": "whatsapp", "contacts": [recipient.contact],
                "messages": [["id": wamid, "message_status": "accepted"]],
            ])
    }

    /// What becomes of a message: delivered to a user on WhatsApp (with their BSUID), or failed.
    private func fate(_ recipient: CloudRecipient, marketing: Bool) -> (StatusWebhook.Recipient, StatusWebhook.Outcome) {
        let undeliverable = StatusWebhook.Outcome.failed(
            code: 131_026, title: "Message undeliverable", details: "Message Undeliverable.")
        let blocked = StatusWebhook.Outcome.failed(
            code: 131_049, title: "This message was not delivered to maintain healthy ecosystem engagement.",
            details: "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.")
        switch recipient {
        case .phone(let digits, _):
            let failed = StatusWebhook.Recipient(waID: digits, userID: nil, name: nil)
            guard case .valid(let waID) = book.answer(digits: digits) else { return (failed, undeliverable) }
            if marketing && digits.hasPrefix("1") { return (failed, blocked) }
            if configuration.undeliverable.contains(digits) { return (failed, undeliverable) }
            let user = StatusWebhook.Recipient(
                waID: waID, userID: users.userID(waID: waID), name: UserDirectory.profileName(waID))
            return (user, .delivered)
        case .user(let id):
            // A BSUID is a WhatsApp user; the number shows only when the sandbox handed the BSUID out.
            let waID = users.waID(userID: id)
            let user = StatusWebhook.Recipient(waID: waID, userID: id, name: UserDirectory.profileName(waID ?? id))
            if let waID, marketing && waID.hasPrefix("1") {
                return (StatusWebhook.Recipient(waID: waID, userID: nil, name: nil), blocked)
            }
            return (user, .delivered)
        }
    }
}
