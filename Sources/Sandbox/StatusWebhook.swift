import Foundation

/// Status webhook bodies as the Cloud API posts them (contracts §8.5, §9.1): `entry[].id`
/// is the WABA, `value.contacts` names the user (`profile.name`, `wa_id`, `user_id`) on
/// sent/delivered/read, and only the number (`wa_id`) on a failed status, which has no
/// BSUID to give; `statuses[]` carries `recipient_id` / `recipient_user_id`, pricing by the
/// template's category, errors with `message`, `error_data.details` and `href`, and
/// timestamps that rise sent < delivered < read.
enum StatusWebhook {
    /// The message the statuses are about.
    struct Message: Sendable {
        var wamid: String
        var phoneNumberID: String
        var waba: String
        var callback: String?
        /// The pricing category, lower case: the template's, or `service` for a free-form message.
        var category: String
        /// The template's name (empty for a free-form message).
        var template = ""
    }

    /// Who the message went to: the number (nil when the send named only a BSUID the
    /// sandbox cannot map), the BSUID (nil for a number not on WhatsApp), the profile name.
    struct Recipient: Sendable {
        var waID: String?
        var userID: String?
        var name: String?
    }

    enum Outcome: Sendable {
        case delivered
        case failed(code: Int, title: String, details: String)
    }

    static let errorCodesPage = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"

    /// One body per status: sent, delivered and (when `read`) read, or a single failed one.
    static func bodies(_ message: Message, to recipient: Recipient, _ outcome: Outcome, read: Bool, at now: Int64) -> [Data] {
        switch outcome {
        case .delivered:
            let words = ["sent", "delivered"] + (read ? ["read"] : [])
            return words.enumerated().map { offset, word in
                var item = status(message, recipient, word, at: now + Int64(offset))
                item["pricing"] = [
                    "billable": true, "pricing_model": "PMP", "type": "regular", "category": message.category,
                ]
                return envelope(message, item, contacts: [contact(recipient)])
            }
        case let .failed(code, title, details):
            var item = status(message, Recipient(waID: recipient.waID, userID: nil, name: nil), "failed", at: now)
            item["errors"] = [
                [
                    "code": code, "title": title, "message": title, "error_data": ["details": details],
                    "href": errorCodesPage,
                ]
            ]
            let contacts = recipient.waID.map { [["wa_id": $0]] } ?? []
            return [envelope(message, item, contacts: contacts)]
        }
    }

    /// A text message from the recipient (a typed reply such as STOP), as the messages webhook carries it.
    /// A person's message back: typed text, or (`button`) a template's quick-reply button
    /// pressed, as the platform posts it (`type: button`, with the template message as context).
    static func reply(
        _ message: Message, from recipient: Recipient, text: String, id: String, at time: Int64, button: Bool = false
    ) -> Data {
        var item: [String: Any] = ["id": id, "timestamp": String(time), "type": "text", "text": ["body": text]]
        if button {
            item["type"] = "button"
            item["text"] = nil
            item["button"] = ["text": text, "payload": text]
            item["context"] = ["from": "15550000000", "id": message.wamid]
        }
        if let waID = recipient.waID { item["from"] = waID }
        if let userID = recipient.userID { item["from_user_id"] = userID }
        var value: [String: Any] = [
            "messaging_product": "whatsapp",
            "metadata": ["display_phone_number": "15550000000", "phone_number_id": message.phoneNumberID],
            "contacts": [contact(recipient)], "messages": [item],
        ]
        value["contacts"] = [contact(recipient)]
        let object: [String: Any] = [
            "object": "whatsapp_business_account",
            "entry": [["id": message.waba, "changes": [["field": "messages", "value": value]]]],
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    private static func status(_ message: Message, _ recipient: Recipient, _ word: String, at time: Int64) -> [String: Any] {
        var item: [String: Any] = ["id": message.wamid, "status": word, "timestamp": String(time)]
        if let waID = recipient.waID { item["recipient_id"] = waID }
        if let userID = recipient.userID { item["recipient_user_id"] = userID }
        if let callback = message.callback { item["biz_opaque_callback_data"] = callback }
        return item
    }

    private static func contact(_ recipient: Recipient) -> [String: Any] {
        var contact: [String: Any] = [:]
        if let name = recipient.name { contact["profile"] = ["name": name] }
        if let waID = recipient.waID { contact["wa_id"] = waID }
        if let userID = recipient.userID { contact["user_id"] = userID }
        return contact
    }

    private static func envelope(_ message: Message, _ status: [String: Any], contacts: [[String: Any]]) -> Data {
        var value: [String: Any] = [
            "messaging_product": "whatsapp",
            "metadata": ["display_phone_number": "15550000000", "phone_number_id": message.phoneNumberID],
            "statuses": [status],
        ]
        if !contacts.isEmpty { value["contacts"] = contacts }
        let object: [String: Any] = [
            "object": "whatsapp_business_account",
            "entry": [["id": message.waba, "changes": [["field": "messages", "value": value]]]],
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}
