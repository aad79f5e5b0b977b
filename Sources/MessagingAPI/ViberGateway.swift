import Foundation
import WamigrateHTTP

/// Viber's REST bot API: `POST {base}/pa/send_message` with `X-Viber-Auth-Token`.
/// The idempotency key goes in `tracking_data`, which comes back with the reply.
struct ViberGateway {
    var base: String
    var token: String
    var http: HTTPClient

    func send(to receiver: String, text: String, sender: String, key: String, link: String?, button: String?) -> SendAnswer {
        var message: [String: Any] = [
            "receiver": receiver, "min_api_version": 1, "sender": ["name": String(sender.prefix(28))],
            "tracking_data": key, "type": "text", "text": text,
        ]
        if let link, let button {
            message["keyboard"] = [
                "Type": "keyboard", "DefaultHeight": false,
                "Buttons": [["Columns": 6, "Rows": 1, "ActionType": "open-url", "ActionBody": link, "Text": button]],
            ]
        }
        let body = (try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])) ?? Data()
        let request = HTTPRequest(
            url: "\(base)/pa/send_message", headers: [("X-Viber-Auth-Token", token), ("Content-Type", "application/json")],
            body: body, atMostOnce: true)
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            return error.kind == .connect ? .retry(after: nil, why: error.description) : .unknown(error.description)
        }
        if response.status == 429 { return .retry(after: response.retryAfter(), why: "HTTP 429") }
        if (500...599).contains(response.status) {
            return .unknown("HTTP \(response.status): the message may have been taken")
        }
        guard response.status == 200, let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
            let status = object["status"] as? Int
        else { return .unknown("HTTP \(response.status) with no Viber status") }
        let message_ = object["status_message"] as? String ?? ""
        switch status {
        case 0:
            guard let token = object["message_token"] else { return .unknown("status 0 without a message_token") }
            return .accepted("\(token)")
        case 12: return .retry(after: nil, why: "Viber 12 too many requests")
        case 2, 15: return .authFailed("Viber \(status) \(message_)")
        case 5: return .refused(code: "viber_5", reason: "not_viber_user", unsubscribed: false)
        case 6: return .refused(code: "viber_6", reason: "not_subscribed", unsubscribed: false)
        default: return .refused(code: "viber_\(status)", reason: message_.isEmpty ? "refused" : message_, unsubscribed: false)
        }
    }
}
