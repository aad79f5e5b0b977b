import Foundation
import WamigrateBase
import WamigrateStore

/// What one Cloud API webhook body carries besides statuses: inbound messages and
/// button replies (as inbound events for the keyword book), and `user_preferences`
/// marketing stops and resumes (as ledger events). Shapes: contracts §8.5.
enum WebhookPayload {
    struct Read {
        var messages: [InboundEvent] = []
        var preferences: [ConsentEvent] = []
    }

    static func read(_ body: Data, origin: String, recordedAt: Int64) throws -> Read {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw WamigrateError(.inputJSON, "a webhook body is not JSON", hint: "the inbox keeps bodies as received", at: nil)
        }
        var read = Read()
        for entry in object["entry"] as? [[String: Any]] ?? [] {
            for change in entry["changes"] as? [[String: Any]] ?? [] {
                guard let value = change["value"] as? [String: Any] else { continue }
                for message in value["messages"] as? [[String: Any]] ?? [] {
                    guard let from = message["from"] as? String, let id = message["id"] as? String,
                        let text = Self.text(message)
                    else { continue }
                    read.messages.append(
                        InboundEvent(
                            kind: .message(text), channel: "whatsapp", providerID: id, address: "+" + from.filter(\.isNumber),
                            at: Self.time(message["timestamp"]), tracking: nil, origin: origin))
                }
                for preference in value["user_preferences"] as? [[String: Any]] ?? [] {
                    guard preference["category"] as? String == "marketing_messages",
                        let waID = preference["wa_id"] as? String, let choice = preference["value"] as? String,
                        choice == "stop" || choice == "resume"
                    else { continue }
                    let at = Self.time(preference["timestamp"])
                    var event = ConsentEvent(
                        address: "+" + waID.filter(\.isNumber), contactID: nil, channel: "whatsapp",
                        kind: choice == "stop" ? .optOut : .optIn, at: at, recordedAt: recordedAt,
                        method: .whatsappPreference, ref: "user_preferences:\(waID):\(at ?? 0):\(choice)")
                    event.keyword = choice
                    event.evidence = "whatsapp user_preferences webhook, marketing_messages \(choice) (\(origin))"
                    read.preferences.append(event)
                }
            }
        }
        return read
    }

    /// A text message's body, a quick-reply button's text, or an interactive reply's title.
    static func text(_ message: [String: Any]) -> String? {
        if let text = (message["text"] as? [String: Any])?["body"] as? String { return text }
        if let button = (message["button"] as? [String: Any])?["text"] as? String { return button }
        if let interactive = message["interactive"] as? [String: Any] {
            for key in ["button_reply", "list_reply"] {
                if let title = (interactive[key] as? [String: Any])?["title"] as? String { return title }
            }
        }
        return nil
    }

    static func time(_ value: Any?) -> Int64? {
        (value as? String).flatMap { Int64($0) } ?? (value as? NSNumber)?.int64Value
    }
}
