import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateModel

/// A Twilio-compatible SMS API: `POST {base}/2010-04-01/Accounts/{Sid}/Messages.json`
/// with form fields and Basic auth, and the Message list for finding a message
/// a crashed run may have sent.
struct SMSGateway: SendChannel {
    var base: String
    var accountSID: String
    var authToken: String
    /// `From` (a number) or a Messaging Service SID (MG...).
    var from: String
    var http: HTTPClient
    var pacer: RatePacer
    let gateway = "the sms gateway"

    var url: String { "\(base)/2010-04-01/Accounts/\(accountSID)/Messages.json" }

    var authorization: (String, String) {
        ("Authorization", "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString())
    }

    func send(_ message: OutboundMessage) -> SendAnswer {
        let sender = from.hasPrefix("MG") ? "MessagingServiceSid" : "From"
        let form = Form.encode([("To", message.address), (sender, from), ("Body", message.text)])
        let request = HTTPRequest(
            url: url,
            headers: [
                authorization, ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
                ("Idempotency-Key", message.idempotencyKey),
            ], body: Data(form.utf8), atMostOnce: true)
        return GatewayRetryPolicy.exchange(request, over: http) { response in
            let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
            let code = (object["code"] as? Int).map(String.init)
            if let answer = GatewayRetryPolicy.answer(
                status: response.status, retryAfter: response.retryAfter(), detail: code ?? "")
            {
                return answer
            }
            switch response.status {
            case 200, 201:
                guard let sid = object["sid"] as? String else { return .unknown("HTTP \(response.status) without a sid") }
                return .accepted(sid)
            case 401, 403:
                let said = object["message"] as? String ?? "HTTP \(response.status)"
                return .stop(code: response.status, why: "HTTP \(response.status) \(code ?? ""): \(said)")
            default:
                if code == "20429" { return .retry(after: response.retryAfter(), why: "20429") }
                return .refused(code: code ?? "http_\(response.status)", reason: Self.reason(code))
            }
        }
    }

    /// Twilio 21610: the person replied STOP to this sender; the ledger keeps it.
    func optOut(refused message: OutboundMessage, code: String, at time: Int64) -> ConsentEvent? {
        guard code == "21610" else { return nil }
        var event = ConsentEvent(
            address: message.address, contactID: message.contactID, channel: .sms, kind: .optOut, at: time,
            recordedAt: time, method: .gatewayUnsubscribed, ref: message.idempotencyKey)
        event.campaign = message.campaign
        event.evidence = "gateway error \(code) for message \(message.idempotencyKey)"
        return event
    }

    func stopped(code: Int, why: String) -> WamigrateError {
        WamigrateError(
            .auth, "the sms gateway refused the credentials (\(why))", hint: "check --sms-account-env (ACCOUNT_SID:AUTH_TOKEN)")
    }

    /// The sid of a message with this To and body created on or after `since`, if the provider has one.
    func find(to: String, body: String, since: Int64) throws -> String? {
        let day = String(ISOTime.string(since).prefix(10))
        var next: String? = url + "?" + Form.encode([("To", to), ("DateSent>", day), ("PageSize", "1000")])
        while let page = next {
            let response: HTTPResponse
            do {
                response = try http.send(HTTPRequest(url: page, headers: [authorization, ("Accept", "application/json")]))
            } catch {
                throw Self.lookupFailed(error.description)
            }
            if response.status == 401 || response.status == 403 {
                throw WamigrateError(
                    .auth, "the SMS gateway refused the credentials (HTTP \(response.status))", hint: "check --sms-account-env")
            }
            guard response.status == 200,
                let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
                let messages = object["messages"] as? [[String: Any]]
            else { throw Self.lookupFailed("the message list answered HTTP \(response.status)") }
            if let hit = messages.first(where: { $0["to"] as? String == to && $0["body"] as? String == body }) {
                return hit["sid"] as? String
            }
            next = (object["next_page_uri"] as? String).map { base + $0 }
        }
        return nil
    }

    static func lookupFailed(_ why: String) -> WamigrateError {
        WamigrateError(
            .remote, "cannot look up a message a crashed run may have sent: \(why)",
            hint: "nothing was sent twice; run the same command again when the gateway answers")
    }

    /// The short reason recorded for the codes the contract names.
    static func reason(_ code: String?) -> MessageReason {
        switch code {
        case "21610": .unsubscribed
        case "21211": .invalidNumber
        case "21612", "21614": .notSMSCapable
        case "21608": .unverifiedNumber
        default: .refused
        }
    }
}

/// Form encoding (RFC 3986 unreserved characters pass; everything else is percent-encoded).
enum Form {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
