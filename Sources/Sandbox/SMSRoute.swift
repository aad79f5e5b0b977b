import Foundation
import Hummingbird

/// Twilio's Message resource: `POST /2010-04-01/Accounts/{Sid}/Messages.json`
/// (form fields, Basic auth `Sid:token`) and its list `GET`, filtered by To,
/// From and `DateSent>` (yyyy-MM-dd). Errors use Twilio's JSON
/// `{code, message, more_info, status}`: 20003 auth, 20429 too many concurrent
/// requests (a `--sms-busy-rate` share), 21211 invalid To, 21603 no From,
/// 21602 no Body, 21610 unsubscribed recipient (`--sms-unsubscribed`).
struct SMSRoute: Sendable {
    var log: MessageLog
    var configuration: SandboxConfiguration
    var faults: FaultGate

    func create(_ request: Request, account: String) async throws -> Response {
        if let denied = authorize(request, account: account) { return denied }
        let body = try await request.body.collect(upTo: 1 << 16)
        // Hummingbird's form decoder (application/x-www-form-urlencoded), as Twilio takes bodies.
        guard
            let form = try? URLEncodedFormDecoder().decode(
                [String: String].self, from: String(decoding: Data(buffer: body), as: UTF8.self))
        else {
            return Self.error(.badRequest, code: 20001, message: "The request body is not a form.")
        }
        let fault = faults.draw(.sms)
        if let refused = try await faults.refusal(fault, .twilio) { return refused }
        let sequence = log.nextSequence()
        if Mix.unit(configuration.seed &+ 0x5A5, sequence) < configuration.smsBusyRate {
            return Self.error(.tooManyRequests, code: 20429, message: "Too Many Requests")
        }
        guard let to = form["To"], !to.isEmpty else {
            return Self.error(.badRequest, code: 21604, message: "A 'To' phone number is required.")
        }
        guard to.first == "+", (9...16).contains(to.count), to.dropFirst().allSatisfy(\.isNumber), to.dropFirst().first != "0"
        else {
            return Self.error(.badRequest, code: 21211, message: "The 'To' number \(to) is not a valid phone number.")
        }
        let from = form["From"] ?? form["MessagingServiceSid"] ?? ""
        guard !from.isEmpty else {
            return Self.error(.badRequest, code: 21603, message: "A 'From' or 'MessagingServiceSid' parameter is required.")
        }
        guard let text = form["Body"], !text.isEmpty, text.count <= 1600 else {
            return Self.error(.badRequest, code: 21602, message: "Message body is required and at most 1600 characters.")
        }
        if configuration.smsUnsubscribed.contains(to) {
            return Self.error(.badRequest, code: 21610, message: "Attempt to send to unsubscribed recipient")
        }
        let sid = "SM" + String(format: "%016llx%016llx", Mix.hash(configuration.seed, sequence), sequence)
        let now = Date()
        log.record(
            .init(
                channel: "sms", id: sid, to: to, from: from, body: text, key: request.headers[.init("Idempotency-Key")!],
                buttonURL: nil, receivedAt: now.timeIntervalSince1970))
        if configuration.messageDelay > 0 { try await Task.sleep(nanoseconds: UInt64(configuration.messageDelay * 1e9)) }
        return try await faults.answer(
            fault, .created, resource(sid: sid, account: account, to: to, from: from, body: text, at: now))
    }

    func list(_ request: Request, account: String) -> Response {
        if let denied = authorize(request, account: account) { return denied }
        let query = request.uri.queryParameters
        let to = query.get("To")
        let from = query.get("From")
        let after = query.get("DateSent>")
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        let messages = log.all(channel: "sms").filter { entry in
            (to == nil || entry.to == to) && (from == nil || entry.from == from)
                && (after.map { day.string(from: Date(timeIntervalSince1970: entry.receivedAt)) >= $0 } ?? true)
        }.map {
            resource(
                sid: $0.id, account: account, to: $0.to, from: $0.from, body: $0.body,
                at: Date(timeIntervalSince1970: $0.receivedAt))
        }
        return Self.json(.ok, ["messages": messages, "next_page_uri": NSNull(), "page": 0, "page_size": 50])
    }

    private func resource(sid: String, account: String, to: String, from: String, body: String, at: Date) -> [String: Any] {
        let rfc2822 = DateFormatter()
        rfc2822.locale = Locale(identifier: "en_US_POSIX")
        rfc2822.timeZone = TimeZone(identifier: "UTC")
        rfc2822.dateFormat = "EEE, dd MMM yyyy HH:mm:ss +0000"
        let date = rfc2822.string(from: at)
        return [
            "sid": sid, "account_sid": account, "to": to, "from": from, "body": body, "status": "queued",
            "direction": "outbound-api", "num_segments": "1", "num_media": "0", "api_version": "2010-04-01",
            "date_created": date, "date_updated": date, "date_sent": NSNull(), "price": NSNull(), "price_unit": "USD",
            "error_code": NSNull(), "error_message": NSNull(),
            "uri": "/2010-04-01/Accounts/\(account)/Messages/\(sid).json",
        ]
    }

    private func authorize(_ request: Request, account: String) -> Response? {
        guard let (user, token) = LoginRoute.basicCredentials(request.headers[.authorization]),
            user == configuration.smsAccountSID, token == configuration.smsAuthToken, account == user
        else {
            return Self.error(.unauthorized, code: 20003, message: "Authenticate")
        }
        return nil
    }

    static func error(_ status: HTTPResponse.Status, code: Int, message: String) -> Response {
        json(
            status,
            [
                "code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)",
                "status": Int(status.code),
            ])
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        WireJSON.raw(status, (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
