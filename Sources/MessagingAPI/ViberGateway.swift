import Foundation
import WamigrateBase
import WamigrateHTTP
import WamigrateModel

/// Viber's REST bot API: `POST {base}/pa/send_message` with `X-Viber-Auth-Token`.
/// The idempotency key goes in `tracking_data`, which comes back with the reply.
struct ViberGateway: SendChannel {
    var base: String
    var token: String
    /// The sender name; defaults to the business the text names.
    var sender: String?
    var http: HTTPClient
    var pacer: RatePacer
    let gateway = "the viber gateway"

    func send(_ outbound: OutboundMessage) -> SendAnswer {
        var message: [String: Any] = [
            "receiver": outbound.address, "min_api_version": 1,
            "sender": ["name": String((sender ?? outbound.business).prefix(28))],
            "tracking_data": outbound.idempotencyKey, "type": "text", "text": outbound.text,
        ]
        if let link = outbound.link, let button = outbound.button {
            message["keyboard"] = [
                "Type": "keyboard", "DefaultHeight": false,
                "Buttons": [["Columns": 6, "Rows": 1, "ActionType": "open-url", "ActionBody": link, "Text": button]],
            ]
        }
        let body = (try? JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])) ?? Data()
        let request = HTTPRequest(
            url: "\(base)/pa/send_message", headers: [("X-Viber-Auth-Token", token), ("Content-Type", "application/json")],
            body: body, atMostOnce: true)
        return GatewayRetryPolicy.exchange(request, over: http, answer: Self.answer)
    }

    static func answer(_ response: HTTPResponse) -> SendAnswer {
        if let answer = GatewayRetryPolicy.answer(status: response.status, retryAfter: response.retryAfter(), detail: "") {
            return answer
        }
        guard response.status == 200, let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
            let status = object["status"] as? Int
        else { return .unknown("HTTP \(response.status) with no Viber status") }
        let said = object["status_message"] as? String ?? ""
        switch status {
        case 0:
            guard let token = object["message_token"] else { return .unknown("status 0 without a message_token") }
            return .accepted("\(token)")
        case 12: return .retry(after: nil, why: "Viber 12 too many requests")
        case 2, 15: return .stop(code: status, why: "Viber \(status) \(said)")
        case 5: return .refused(code: "viber_5", reason: .notViberUser)
        case 6: return .refused(code: "viber_6", reason: .notSubscribed)
        default: return .refused(code: "viber_\(status)", reason: said.isEmpty ? .refused : MessageReason(rawValue: said))
        }
    }

    /// Viber refusals are not opt-outs the ledger keeps (an unsubscribe comes as a callback).
    func optOut(refused message: OutboundMessage, code: String, at time: Int64) -> ConsentEvent? { nil }

    func stopped(code: Int, why: String) -> WamigrateError {
        WamigrateError(.auth, "the viber gateway refused the credentials (\(why))", hint: "check --viber-token-env")
    }
}
