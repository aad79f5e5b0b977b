import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateModel

/// `POST {base}/{version}/{phone-number-id}/messages` (or `/marketing_messages`, the MM
/// API, for MARKETING templates when asked) with a template object and a bearer token
/// (contracts §2.7, §8.2). `biz_opaque_callback_data` carries the message's
/// idempotency key so status webhooks can settle a send whose answer was lost.
struct CloudAPIGateway: SendChannel {
    var base: String
    var version: String
    var phoneNumberID: String
    var token: String
    var http: HTTPClient
    /// The wave: its template, language and body variables.
    var settings: WaveSettings
    /// MARKETING templates through the MM API.
    var marketing: Bool
    var pacer: RatePacer
    /// Counts requests as the server sees them (`RatePacer` counts on the client's clock).
    var window: WindowLimiter
    let gateway = "the Cloud API"

    var url: String { "\(base)/\(version)/\(phoneNumberID)/\(marketing ? "marketing_messages" : "messages")" }

    /// The request body: body parameters positional (`{{1}}`) or named (`parameter_name`).
    static func payload(
        to address: CloudAddress, template: String, language: String,
        parameters: [(variable: String, value: String)], callback: String
    ) -> [String: Any] {
        var object: [String: Any] = [
            "messaging_product": "whatsapp", "recipient_type": "individual", "type": "template",
            "biz_opaque_callback_data": callback,
        ]
        switch address {
        case .number(let e164): object["to"] = e164.filter(\.isNumber)
        case .user(let id): object["recipient"] = id
        }
        var templateObject: [String: Any] = ["name": template, "language": ["code": language]]
        if !parameters.isEmpty {
            let items: [[String: Any]] = parameters.map { parameter in
                var item: [String: Any] = ["type": "text", "text": parameter.value]
                if Int(parameter.variable) == nil { item["parameter_name"] = parameter.variable }
                return item
            }
            templateObject["components"] = [["type": "body", "parameters": items]]
        }
        object["template"] = templateObject
        return object
    }

    func send(_ item: WaveItem) -> SendAnswer {
        let values = zip(settings.parameters, item.message.parameters).map { (variable: $0.variable, value: $1) }
        let payload = Self.payload(
            to: item.address, template: settings.template(forVariant: item.message.variant), language: settings.language,
            parameters: values,
            callback: item.message.idempotencyKey)
        guard let body = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]) else {
            return .stop(code: 0, why: "the request body does not encode")
        }
        let request = HTTPRequest(
            url: url, headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: body,
            atMostOnce: true)
        window.acquire()
        defer { window.answered() }
        return GatewayRetryPolicy.exchange(request, over: http) { response in
            let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
            if (200...299).contains(response.status) {
                guard let id = (object["messages"] as? [[String: Any]])?.first?["id"] as? String else {
                    return .unknown("HTTP \(response.status) without a message id")
                }
                return .accepted(id)
            }
            let error = object["error"] as? [String: Any] ?? [:]
            let code = (error["code"] as? NSNumber)?.intValue ?? 0
            let details = (error["error_data"] as? [String: Any])?["details"] as? String
            let message = details ?? error["message"] as? String ?? "HTTP \(response.status)"
            return Self.classify(status: response.status, code: code, message: message, retryAfter: response.retryAfter())
        }
    }

    /// 131050: the platform's word that this person stopped marketing; the ledger keeps it (MARKETING only).
    func optOut(refused item: WaveItem, code: String, at time: Int64) -> ConsentEvent? {
        guard code == "131050" else { return nil }
        let key = item.message.idempotencyKey
        var stop = ConsentEvent(
            address: item.message.e164, contactID: item.message.contactID, channel: .whatsapp, kind: .optOut, at: time,
            recordedAt: time, method: .whatsappMarketingRefused, ref: "131050:\(key)")
        stop.evidence = "Cloud API error 131050 for wave message \(key)"
        return stop
    }

    func stopped(code: Int, why: String) -> WamigrateError {
        let hint =
            switch code {
            case 132000...132999:
                "fix the template or its parameters (re-submit, wait for APPROVED), then run send again; nothing else was sent"
            case 368, 131031: "the WhatsApp Business Account is restricted: resolve it in Business Manager, then run send again"
            case 4, 80007, 131048: "wait for the limit to reset (the messaging limit is per rolling 24 h), then run send again"
            default: "check --token-env; nothing was sent with the refused token"
            }
        let kind: WamigrateError.Code = code == 190 || why.contains("token") ? .auth : .remote
        return WamigrateError(kind, "wave \(settings.name) stopped: \(why)", hint: hint)
    }

    /// Error handling by code (contracts §2.5, §4.2, §8.1, §8.2).
    static func classify(status: Int, code: Int, message: String, retryAfter: Double?) -> SendAnswer {
        switch code {
        case 130429, 131056, 131016, 131057: return .retry(after: retryAfter, why: "error \(code): \(message)")
        case 131049: return .refused(code: String(code), reason: .marketingLimit)
        case 131026: return .refused(code: String(code), reason: .undeliverable)
        // The person stopped marketing from this business (contracts §9.4): recorded in the ledger.
        case 131050: return .refused(code: String(code), reason: .marketingOptOut)
        // A business-scoped user id cannot receive this message (authentication needs a number, §9.2).
        case 131062: return .refused(code: String(code), reason: .bsuidNotSupported)
        case 131047: return .refused(code: String(code), reason: .outsideWindow)
        case 131048: return .stop(code: code, why: "spam rate limit hit (131048): \(message)")
        case 368, 131031: return .stop(code: code, why: "the account is restricted (\(code)): \(message)")
        case 132000...132999: return .stop(code: code, why: "template error \(code): \(message)")
        case 4, 80007: return .stop(code: code, why: "the messaging or rate limit is reached (\(code)): \(message)")
        case 0, 190:
            if status == 401 || status == 403 || code == 190 {
                return .stop(code: code, why: "the token was refused: \(message)")
            }
        default: break
        }
        if status == 401 || status == 403 { return .stop(code: code, why: "the token was refused (HTTP \(status))") }
        return GatewayRetryPolicy.answer(status: status, retryAfter: retryAfter, detail: message)
            ?? .refused(code: String(code), reason: .refused(code: code))
    }
}
