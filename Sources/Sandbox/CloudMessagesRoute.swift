import Foundation
import Hummingbird

/// The Cloud API's `POST /{version}/{phone-number-id}/messages` and `/marketing_messages`
/// for template messages: bearer token, the template must exist and be approved here
/// (132001 otherwise, unless templates are not strict), the messaging limit (unique
/// recipients per rolling 24 h) enforced, and `{"messages":[{"id":"wamid…"}]}` answered.
/// What happens to the message comes later, as signed status webhooks (`WebhookEmitter`):
/// sent, delivered, read; failed 131026 for numbers not on WhatsApp, 131049 for
/// MARKETING templates to +1 numbers (US marketing block).
struct CloudMessagesRoute: Sendable {
    var log: MessageLog
    var templates: TemplateBook
    var book: RegistrationBook
    var configuration: SandboxConfiguration
    var limit: RecipientWindow
    var emitter: WebhookEmitter?
    var faults: FaultGate

    func send(_ request: Request, phoneNumberID: String, marketingAPI: Bool) async throws -> Response {
        guard request.headers[.authorization] == "Bearer \(configuration.graphToken)" else {
            return TemplatesRoute.graphError(
                .unauthorized, code: 190, subcode: nil, message: "Invalid OAuth access token", user: nil)
        }
        let body = try await request.body.collect(upTo: 1 << 16)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
            object["messaging_product"] as? String == "whatsapp", let to = object["to"] as? String,
            object["type"] as? String == "template", let template = object["template"] as? [String: Any],
            let name = template["name"] as? String,
            let language = (template["language"] as? [String: Any])?["code"] as? String
        else {
            return TemplatesRoute.graphError(
                .badRequest, code: 100, subcode: nil, message: "(#100) Invalid parameter",
                user: "a template message needs messaging_product, to, type template, template.name and language.code")
        }
        let fault = faults.draw(.messages)
        if let refused = try await faults.refusal(fault, .graph) { return refused }
        let digits = to.filter(\.isNumber)
        let entry = templates.find(name: name, language: language)
        if configuration.strictTemplates {
            guard let entry else {
                return TemplatesRoute.graphError(
                    .notFound, code: 132_001, subcode: nil, message: "(#132001) Template name does not exist in the translation",
                    user: "template name (\(name)) does not exist in \(language)")
            }
            guard entry.status == "APPROVED" else {
                return TemplatesRoute.graphError(
                    .badRequest, code: entry.status == "PAUSED" ? 132_015 : 132_016, subcode: nil,
                    message: "(#132015) Template is \(entry.status.lowercased())", user: nil)
            }
        }
        let marketing = (entry?.category ?? "UTILITY") == "MARKETING"
        if marketingAPI && !marketing {
            return TemplatesRoute.graphError(
                .badRequest, code: 100, subcode: nil, message: "(#100) Invalid parameter",
                user: "only MARKETING templates go through /marketing_messages")
        }
        guard limit.admit(digits, cap: configuration.messagingLimit) else {
            return TemplatesRoute.graphError(
                .badRequest, code: 4, subcode: nil, message: "(#4) Application request limit reached",
                user: "messaging limit of \(configuration.messagingLimit ?? 0) unique recipients per 24 h reached (sandbox)")
        }
        let sequence = log.nextSequence()
        let wamid = "wamid.SBX" + String(Mix.hash(configuration.seed ^ 0x3A7, sequence), radix: 16).uppercased()
        let callback = object["biz_opaque_callback_data"] as? String
        log.record(
            .init(
                channel: "whatsapp", id: wamid, to: digits, from: phoneNumberID, body: name, key: callback, buttonURL: nil,
                receivedAt: Date().timeIntervalSince1970))
        if let emitter {
            let outcome: WebhookEmitter.Outcome
            switch book.answer(digits: digits) {
            case .invalid: outcome = .failed(131_026, "Message undeliverable")
            case .valid(let waID):
                if marketing && digits.hasPrefix("1") {
                    outcome = .failed(131_049, "This message was not delivered to maintain healthy ecosystem engagement.")
                } else if configuration.undeliverable.contains(digits) {
                    outcome = .failed(131_026, "Message undeliverable")
                } else {
                    outcome = .delivered(waID: waID)
                }
            }
            emitter.schedule(
                wamid: wamid, recipient: digits, callback: callback, phoneNumberID: phoneNumberID, outcome: outcome,
                sequence: sequence)
        }
        if configuration.messageDelay > 0 { try await Task.sleep(nanoseconds: UInt64(configuration.messageDelay * 1e9)) }
        return try await faults.answer(
            fault, .ok,
            [
                "messaging_product": "whatsapp", "contacts": [["input": to, "wa_id": digits]],
                "messages": [["id": wamid, "message_status": "accepted"]],
            ])
    }
}
