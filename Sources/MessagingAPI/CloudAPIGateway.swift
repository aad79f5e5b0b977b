import Foundation
import WamigrateHTTP

/// What the Cloud API said to one template send.
enum CloudAnswer: Equatable {
    /// Taken: the message's `wamid`.
    case accepted(String)
    /// Not sent to this person; recorded with the code, the wave goes on.
    case refused(code: Int, reason: String)
    /// Not processed; safe to send again after a wait (130429, 131056, 131016, 5xx, no connection).
    case retry(after: Double?, why: String)
    /// The wave cannot go on (template errors 132xxx, account restrictions 368 / 131031, the messaging limit, auth).
    case stop(code: Int, why: String)
    /// The request may have arrived and no answer settles it (timeout, broken connection, a 5xx
    /// that does not say the message was refused): in doubt until its status webhook comes.
    case unknown(String)
}

/// `POST {base}/{version}/{phone-number-id}/messages` (or `/marketing_messages`, the MM
/// API, for MARKETING templates when asked) with a template object and a bearer token
/// (contracts §2.7, §8.2). `biz_opaque_callback_data` carries the message's
/// idempotency key so status webhooks can settle a send whose answer was lost.
struct CloudAPIGateway {
    var base: String
    var version: String
    var phoneNumberID: String
    var token: String
    var http: HTTPClient

    func url(marketing: Bool) -> String {
        "\(base)/\(version)/\(phoneNumberID)/\(marketing ? "marketing_messages" : "messages")"
    }

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

    func send(_ payload: [String: Any], marketing: Bool) -> CloudAnswer {
        guard let body = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]) else {
            return .stop(code: 0, why: "the request body does not encode")
        }
        let request = HTTPRequest(
            url: url(marketing: marketing),
            headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: body,
            atMostOnce: true)
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            return error.kind == .connect ? .retry(after: nil, why: error.description) : .unknown(error.description)
        }
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

    /// Error handling by code (contracts §2.5, §4.2, §8.1, §8.2).
    static func classify(status: Int, code: Int, message: String, retryAfter: Double?) -> CloudAnswer {
        switch code {
        case 130429, 131056, 131016, 131057: return .retry(after: retryAfter, why: "error \(code): \(message)")
        case 131049: return .refused(code: code, reason: "marketing_limit")
        case 131026: return .refused(code: code, reason: "undeliverable")
        // The person stopped marketing from this business (contracts §9.4): recorded in the ledger.
        case 131050: return .refused(code: code, reason: "marketing_opt_out")
        // A business-scoped user id cannot receive this message (authentication needs a number, §9.2).
        case 131062: return .refused(code: code, reason: "bsuid_not_supported")
        case 131047: return .refused(code: code, reason: "outside_window")
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
        if status == 429 { return .retry(after: retryAfter, why: "HTTP 429 \(message)") }
        // A gateway or server error may come after the platform took the message (a 504 from a proxy).
        if status >= 500 { return .unknown("HTTP \(status) that does not say the message was refused (\(message))") }
        return .refused(code: code, reason: "refused_\(code)")
    }
}
