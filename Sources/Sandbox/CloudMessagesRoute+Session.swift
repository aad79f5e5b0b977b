import Foundation
import Hummingbird

/// Messages inside a conversation on `POST /{phone-number-id}/messages`: free-form text
/// (`type: text`, a wamid and status webhooks priced as `service`), and marking a message
/// read (`status: read` + `message_id`), optionally with a typing indicator
/// (`typing_indicator: {type: text}`), answered `{"success": true}`. The sandbox keeps no
/// customer-service window, so text is not refused outside one (the platform's 131047).
extension CloudMessagesRoute {
    func sendText(_ object: [String: Any], phoneNumberID: String) async throws -> Response {
        guard let text = (object["text"] as? [String: Any])?["body"] as? String, !text.isEmpty else {
            return GraphError.invalidParameter("a text message needs text.body")
        }
        guard text.count <= 4096 else { return GraphError.invalidParameter("text.body is longer than 4096 characters") }
        let (recipient, fault): (CloudRecipient, FaultPlan.Kind?)
        switch try await admit(object) {
        case .go(let who, let drawn): (recipient, fault) = (who, drawn)
        case .answer(let response): return response
        }
        return try await accept(
            object, to: recipient, body: text, phoneNumberID: phoneNumberID, waba: nil, category: "SERVICE", fault: fault)
    }

    func markRead(_ object: [String: Any]) -> Response {
        guard let id = object["message_id"] as? String, !id.isEmpty else {
            return GraphError.invalidParameter("marking a message read needs message_id")
        }
        if let indicator = object["typing_indicator"] {
            guard (indicator as? [String: Any])?["type"] as? String == "text" else {
                return GraphError.invalidParameter("typing_indicator.type must be text")
            }
        }
        return WireJSON.raw(.ok, Data(#"{"success":true}"#.utf8))
    }
}
