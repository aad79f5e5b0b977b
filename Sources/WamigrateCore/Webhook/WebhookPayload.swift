import Foundation
import WamigrateBase
import WamigrateModel

/// What one Cloud API webhook body carries besides statuses: inbound messages and
/// button replies (as inbound events for the keyword book), `user_preferences`
/// marketing stops and resumes (as ledger events), and the identities it names:
/// business-scoped user ids wherever the platform puts them (`contacts[].user_id`,
/// `statuses[].recipient_user_id`, `messages[].from_user_id`, `user_preferences[].user_id`)
/// and `user_changed_user_id` / `user_changed_number` system messages. A user whose number
/// is withheld has no `from`: their messages and preferences are kept under
/// `bsuid:<id>`. Shapes: contracts §8.5, §9.1.
enum WebhookPayload {
    struct Read {
        var messages: [InboundEvent] = []
        var preferences: [ConsentEvent] = []
        var templates: [TemplateUpdate] = []
        var identities: [UserIdentity] = []
        var changes: [IdentityChange] = []
        var limits: [PlatformLimit] = []
    }

    /// The ledger address of a WhatsApp user: their number when the webhook carries it, else their BSUID.
    static func address(waID: String?, userID: String?) -> String? {
        if let digits = waID?.filter(\.isNumber), !digits.isEmpty { return "+" + digits }
        if let userID, !userID.isEmpty { return "bsuid:" + userID }
        return nil
    }

    /// The identity a webhook names beside a BSUID (none without one), wherever it stands.
    static func identity(
        _ userID: Any?, waID: Any?, parent: Any?, username: Any? = nil, at: Int64, source: String
    ) -> [UserIdentity] {
        guard let userID = userID as? String, !userID.isEmpty else { return [] }
        return [
            UserIdentity(
                userID: userID, waID: digits(waID), parentUserID: parent as? String, username: username as? String, at: at,
                source: source)
        ]
    }

    static func digits(_ value: Any?) -> String? {
        guard let text = value as? String else { return nil }
        let digits = text.filter(\.isNumber)
        return digits.isEmpty ? nil : digits
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
        /// GREEN, YELLOW, RED, UNKNOWN (`message_template_quality_update`).
        var quality: String? = nil
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
                if let limit = Self.limit(field: change["field"] as? String, value, at: entryTime ?? recordedAt, origin: origin) {
                    read.limits.append(limit)
                }
                let seen = Self.time(value["timestamp"]) ?? entryTime ?? recordedAt
                for contact in value["contacts"] as? [[String: Any]] ?? [] {
                    read.identities += Self.identity(
                        contact["user_id"], waID: contact["wa_id"], parent: contact["parent_user_id"],
                        username: (contact["profile"] as? [String: Any])?["username"], at: seen, source: "contacts")
                }
                for status in value["statuses"] as? [[String: Any]] ?? [] {
                    read.identities += Self.identity(
                        status["recipient_user_id"], waID: status["recipient_id"], parent: status["recipient_parent_user_id"],
                        at: Self.time(status["timestamp"]) ?? seen, source: "status")
                }
                for message in value["messages"] as? [[String: Any]] ?? [] {
                    let from = Self.digits(message["from"])
                    let userID = message["from_user_id"] as? String
                    let at = Self.time(message["timestamp"])
                    read.identities += Self.identity(
                        userID, waID: from, parent: message["from_parent_user_id"], at: at ?? seen, source: "message")
                    if let change = Self.identityChange(message, from: from, at: at, origin: origin) {
                        read.changes.append(change)
                        continue
                    }
                    // No id, or an empty one, is still a message: its sender, time and body make
                    // it one (`InboundEvent.messageKey`), so a STOP without an id is not lost.
                    guard let address = Self.address(waID: from, userID: userID), let text = Self.text(message) else {
                        continue
                    }
                    let id = message["id"] as? String ?? ""
                    read.messages.append(
                        InboundEvent(
                            kind: .message(text), channel: .whatsapp, providerID: id, address: address, at: at,
                            tracking: nil, origin: origin,
                            button: ["button", "interactive"].contains(message["type"] as? String ?? "")))
                }
                for preference in value["user_preferences"] as? [[String: Any]] ?? [] {
                    let waID = Self.digits(preference["wa_id"])
                    let userID = preference["user_id"] as? String
                    guard preference["category"] as? String == "marketing_messages",
                        let address = Self.address(waID: waID, userID: userID),
                        let choice = preference["value"] as? String, choice == "stop" || choice == "resume"
                    else { continue }
                    let at = Self.time(preference["timestamp"])
                    read.identities += Self.identity(
                        userID, waID: waID, parent: preference["parent_user_id"], at: at ?? seen, source: "preference")
                    let who = waID ?? userID ?? ""
                    var event = ConsentEvent(
                        address: address, contactID: nil, channel: .whatsapp, kind: choice == "stop" ? .optOut : .optIn,
                        at: at, recordedAt: recordedAt, method: .whatsappPreference,
                        ref: "user_preferences:\(who):\(at ?? 0):\(choice)")
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
        case "message_template_quality_update":
            guard let quality = value["new_quality_score"] as? String else { return nil }
            return TemplateUpdate(
                templateID: id, name: name, language: language, status: nil, category: nil, reason: nil,
                quality: quality.uppercased(), at: at)
        default:
            return nil
        }
    }

    /// The messaging limit (contracts §9.3): `business_capability_update` gives an integer
    /// (-1: unlimited), `phone_number_quality_update` a `TIER_*` word (TIER_NOT_SET is none).
    static func limit(field: String?, _ value: [String: Any], at: Int64, origin: String) -> PlatformLimit? {
        let limitValue = value["max_daily_conversations_per_business"] ?? value["current_limit"]
        switch field {
        case "business_capability_update":
            guard let number = (limitValue as? NSNumber)?.intValue ?? (limitValue as? String).flatMap({ Int($0) }) else {
                return nil
            }
            return PlatformLimit(
                field: "business_capability_update", event: nil, tier: number < 0 ? nil : number, raw: String(number),
                at: at, origin: origin)
        case "phone_number_quality_update":
            guard let word = limitValue as? String, let tier = PlatformLimit.tier(named: word) else { return nil }
            return PlatformLimit(
                field: "phone_number_quality_update", event: value["event"] as? String, tier: tier, raw: word, at: at,
                origin: origin)
        default:
            return nil
        }
    }

    /// A `user_changed_user_id` or `user_changed_number` system message (contracts §9.1): the
    /// new BSUID is the sender's, the old one `previous_user_id`; a new number is `system.wa_id`.
    static func identityChange(_ message: [String: Any], from: String?, at: Int64?, origin: String) -> IdentityChange? {
        guard message["type"] as? String == "system", let system = message["system"] as? [String: Any],
            let kind = system["type"] as? String, kind == "user_changed_user_id" || kind == "user_changed_number"
        else { return nil }
        let newNumber = kind == "user_changed_number" ? Self.digits(system["wa_id"]) : from
        return IdentityChange(
            kind: kind, previousUserID: system["previous_user_id"] as? String,
            userID: message["from_user_id"] as? String ?? system["user_id"] as? String,
            previousWaID: kind == "user_changed_number" ? from : nil, waID: newNumber, at: at, origin: origin)
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
