import Foundation
import Hummingbird

/// Viber's REST bot API `POST /pa/send_message` (`X-Viber-Auth-Token`). Always
/// HTTP 200 with `{status, status_message, message_token}`: 0 ok, 2 invalid
/// token, 3 bad data, 4 missing data, 6 receiver not subscribed
/// (`--viber-unsubscribed`), 12 too many requests (a `--viber-busy-rate` share).
struct ViberRoute: Sendable {
    var log: MessageLog
    var configuration: SandboxConfiguration
    var faults: FaultGate

    func send(_ request: Request) async throws -> Response {
        guard request.headers[.init("X-Viber-Auth-Token")!] == configuration.viberToken else {
            return answer(2, "invalidAuthToken")
        }
        let body = try await request.body.collect(upTo: 1 << 16)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            return answer(3, "badData")
        }
        guard let receiver = object["receiver"] as? String, !receiver.isEmpty, let type = object["type"] as? String else {
            return answer(4, "missingData")
        }
        let text = object["text"] as? String ?? ""
        guard type != "text" || (!text.isEmpty && text.count <= 7000) else { return answer(3, "badData") }
        let sender = (object["sender"] as? [String: Any])?["name"] as? String ?? ""
        guard !sender.isEmpty, sender.count <= 28 else { return answer(3, "badData") }
        let fault = faults.draw(.viber)
        if let refused = try await faults.refusal(fault, .viber) { return refused }
        let sequence = log.nextSequence()
        if Mix.unit(configuration.seed &+ 0x71B, sequence) < configuration.viberBusyRate {
            return answer(12, "Too many requests")
        }
        if configuration.viberUnsubscribed.contains(receiver) { return answer(6, "receiverNotSubscribed") }
        let buttons = ((object["keyboard"] as? [String: Any])?["Buttons"] as? [[String: Any]]) ?? []
        let url = buttons.first { $0["ActionType"] as? String == "open-url" }?["ActionBody"] as? String
        let token = Mix.hash(configuration.seed ^ 0x7B, sequence) >> 2
        log.record(
            .init(
                channel: "viber", id: String(token), to: receiver, from: sender, body: text,
                key: object["tracking_data"] as? String, buttonURL: url, receivedAt: Date().timeIntervalSince1970))
        if configuration.messageDelay > 0 { try await Task.sleep(nanoseconds: UInt64(configuration.messageDelay * 1e9)) }
        return try await faults.answer(fault, .ok, Self.object(0, "ok", token: token))
    }

    private func answer(_ status: Int, _ message: String) -> Response {
        SMSRoute.json(.ok, Self.object(status, message, token: nil))
    }

    private static func object(_ status: Int, _ message: String, token: UInt64?) -> [String: Any] {
        var object: [String: Any] = ["status": status, "status_message": message]
        if let token {
            object["message_token"] = token
            object["chat_hostname"] = "SN-CHAT-01_"
            object["billing_status"] = 0
        }
        return object
    }
}
