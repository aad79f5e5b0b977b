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
        var templates: [TemplateUpdate] = []
    }

    /// A `message_template_status_update`, or a completed `template_category_update`
    /// (the impending notice changes nothing yet: contracts §8.2 routes on completed ones).
    struct TemplateUpdate {
        var templateID: String?
        var name: String?
        var language: String?
        var status: String?
        var category: String?
        var reason: String?
        var at: Int64
    }

    static func read(_ body: Data, origin: String, recordedAt: Int64) throws -> Read {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw WamigrateError(.inputJSON, "a webhook body is not JSON", hint: "the inbox keeps bodies as received", at: nil)
        }
        var read = Read()
        for entry in object["entry"] as? [[String: Any]] ?? [] {
            let entryTime = Self.time(entry["time"])
            for change in entry["changes"] as? [[String: Any]] ?? [] {
                guard let value = change["value"] as? [String: Any] else { continue }
                if let update = Self.template(field: change["field"] as? String, value, at: entryTime) {
                    read.templates.append(update)
                }
                for message in value["messages"] as? [[String: Any]] ?? [] {
                    // No id, or an empty one, is still a message: its sender, time and body make
                    // it one (`InboundEvent.messageKey`), so a STOP without an id is not lost.
                    guard let from = message["from"] as? String, let text = Self.text(message) else { continue }
                    let id = message["id"] as? String ?? ""
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

    static func template(field: String?, _ value: [String: Any], at entryTime: Int64?) -> TemplateUpdate? {
        let id = (value["message_template_id"] as? NSNumber)?.stringValue ?? value["message_template_id"] as? String
        let name = value["message_template_name"] as? String
        let language = value["message_template_language"] as? String
        let at = Self.time(value["timestamp"]) ?? entryTime ?? 0
        switch field {
        case "message_template_status_update":
            guard let event = value["event"] as? String else { return nil }
            let reason = value["reason"] as? String
            return TemplateUpdate(
                templateID: id, name: name, language: language, status: event, category: nil,
                reason: reason == "NONE" ? nil : reason, at: at)
        case "template_category_update":
            guard let category = value["new_category"] as? String else { return nil }
            return TemplateUpdate(
                templateID: id, name: name, language: language, status: nil, category: category, reason: nil, at: at)
        default:
            return nil
        }
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
