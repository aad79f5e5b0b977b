import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateHTTP

/// A Twilio-compatible SMS API: `POST {base}/2010-04-01/Accounts/{Sid}/Messages.json`
/// with form fields and Basic auth, and the Message list for finding a message
/// a crashed run may have sent.
struct SMSGateway {
    var base: String
    var accountSID: String
    var authToken: String
    /// `From` (a number) or a Messaging Service SID (MG...).
    var from: String
    var http: HTTPClient

    var url: String { "\(base)/2010-04-01/Accounts/\(accountSID)/Messages.json" }

    var authorization: (String, String) {
        ("Authorization", "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString())
    }

    func send(to: String, body: String, key: String) -> SendAnswer {
        let sender = from.hasPrefix("MG") ? "MessagingServiceSid" : "From"
        let form = Form.encode([("To", to), (sender, from), ("Body", body)])
        let request = HTTPRequest(
            url: url,
            headers: [
                authorization, ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
                ("Idempotency-Key", key),
            ], body: Data(form.utf8), atMostOnce: true)
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch {
            return error.kind == .connect ? .retry(after: nil, why: error.description) : .unknown(error.description)
        }
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        let code = (object["code"] as? Int).map(String.init)
        let message = object["message"] as? String ?? "HTTP \(response.status)"
        switch response.status {
        case 200, 201:
            guard let sid = object["sid"] as? String else { return .unknown("HTTP \(response.status) without a sid") }
            return .accepted(sid)
        case 429: return .retry(after: response.retryAfter(), why: "HTTP 429 \(code ?? "")")
        case 401, 403: return .authFailed("HTTP \(response.status) \(code ?? ""): \(message)")
        // A server or gateway error may come after the provider took the message: looked up, not resent blindly.
        case 500...599: return .unknown("HTTP \(response.status) \(code ?? ""): the message may have been taken")
        default:
            if code == "20429" { return .retry(after: response.retryAfter(), why: "20429") }
            return .refused(
                code: code ?? "http_\(response.status)", reason: Self.reason(code), unsubscribed: code == "21610")
        }
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
                throw GatewayError.unreachable(error.description)
            }
            if response.status == 401 || response.status == 403 { throw GatewayError.auth("HTTP \(response.status)") }
            guard response.status == 200,
                let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
                let messages = object["messages"] as? [[String: Any]]
            else { throw GatewayError.unreachable("the message list answered HTTP \(response.status)") }
            if let hit = messages.first(where: { $0["to"] as? String == to && $0["body"] as? String == body }) {
                return hit["sid"] as? String
            }
            next = (object["next_page_uri"] as? String).map { base + $0 }
        }
        return nil
    }

    /// The short reason recorded for the codes the contract names.
    static func reason(_ code: String?) -> String {
        switch code {
        case "21610": "unsubscribed"
        case "21211": "invalid_number"
        case "21612", "21614": "not_sms_capable"
        case "21608": "unverified_number"
        default: "refused"
        }
    }
}

enum GatewayError: Error {
    case unreachable(String)
    case auth(String)
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
