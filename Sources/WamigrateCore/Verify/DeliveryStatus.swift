import Foundation
import WamigrateBase
import WamigrateModel

/// One Cloud API message status (a webhook `statuses[]` item), as far as
/// registration goes: who (`recipient_id`, a wa_id), what, when, and error codes.
struct DeliveryStatus {
    /// The outbound message's id (`wamid…`); statuses of one message share it.
    var messageID: String?
    var recipient: String
    /// The business-scoped user id (BSUID, `recipient_user_id`), when the status names one.
    var userID: String? = nil
    var status: CloudStatus
    var timestamp: Int64
    var errorCodes: [Int]
    var errorTitle: String?
    var line: Int
    /// `biz_opaque_callback_data`: what the sender put on the message (a wave's idempotency key).
    var callback: String? = nil

    /// Delivered or read: the recipient is on WhatsApp, under this wa_id.
    var delivered: Bool { status == .delivered || status == .read }

    /// Failed with 131026 (undeliverable): evidence, not a verdict on its own. It has also
    /// been returned for per-user marketing blocks (contracts §8.1), so only different
    /// messages failing with it, with nothing delivered since, say "not on WhatsApp".
    var undeliverable: Bool { status == .failed && errorCodes.contains(131026) }

    /// Different messages that must fail with 131026 before the number counts as not on WhatsApp.
    static let undeliverableVerdict = 2

    var reason: String {
        if errorCodes.isEmpty { return status.rawValue }
        let codes = errorCodes.map(String.init).joined(separator: ",")
        return "\(status.rawValue) \(codes)" + (errorTitle.map { " (\($0))" } ?? "")
    }

    /// The statuses on one line: a bare status object, `{"statuses": [...]}`, or a
    /// whole webhook payload (`entry[].changes[].value.statuses[]`).
    /// `webhook`: a status without `recipient_id` (only the BSUID: Meta leaves the number out
    /// after 30 quiet days) is kept with an empty recipient, so it still moves its message;
    /// a saved report file must name every recipient. A status without a timestamp takes
    /// `receivedAt` (when the receiver got the webhook); in a report file it is refused.
    static func parse(line text: Substring, number: Int, file: String, webhook: Bool = false, receivedAt: Int64? = nil)
        throws -> [DeliveryStatus]
    {
        let at = WamigrateError.Location(file: file, line: number, column: 1)
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw WamigrateError(
                .inputJSON, "line is not a JSON object",
                hint: "each line must be one JSON object: a statuses item or a webhook payload", at: at)
        }
        var items: [[String: Any]] = []
        // The BSUID of a status is `recipient_user_id`, or the `user_id` of the value's
        // `contacts[]` entry for its recipient (contracts §9.1: real webhooks put it there).
        func withContactUserID(_ statuses: [[String: Any]], _ contacts: [[String: Any]]) -> [[String: Any]] {
            statuses.map { status in
                guard (status["recipient_user_id"] as? String ?? "").isEmpty else { return status }
                let recipient = (status["recipient_id"] as? String)?.filter(\.isNumber)
                let match =
                    contacts.first { ($0["wa_id"] as? String)?.filter(\.isNumber) == recipient && recipient != nil }
                    ?? (contacts.count == 1 ? contacts.first : nil)
                guard let userID = match?["user_id"] as? String, !userID.isEmpty else { return status }
                var copy = status
                copy["recipient_user_id"] = userID
                return copy
            }
        }
        if let entries = object["entry"] as? [[String: Any]] {
            for entry in entries {
                for change in entry["changes"] as? [[String: Any]] ?? [] {
                    let value = change["value"] as? [String: Any]
                    items += withContactUserID(
                        value?["statuses"] as? [[String: Any]] ?? [], value?["contacts"] as? [[String: Any]] ?? [])
                }
            }
        } else if let statuses = object["statuses"] as? [[String: Any]] {
            items = withContactUserID(statuses, object["contacts"] as? [[String: Any]] ?? [])
        } else {
            items = [object]
        }
        return try items.compactMap { item in
            let recipient = item["recipient_id"] as? String ?? (webhook ? "" : nil)
            guard let recipient, let word = item["status"] as? String else {
                if webhook { return nil }  // not a status: nothing to learn from it
                throw WamigrateError(
                    .inputJSON, "a status has no recipient_id or no status",
                    hint: "export the webhook's statuses objects unchanged (recipient_id, status, timestamp, errors)", at: at)
            }
            // A status word the platform does not send is not stored as if it were one
            // (the webhook inbox keeps the body as received).
            guard let status = CloudStatus(rawValue: word) else {
                if webhook { return nil }
                throw WamigrateError(
                    .inputJSON,
                    "a status is '\(Terminal.printable(String(word.prefix(40))))', which the Cloud API does not send",
                    hint: "statuses are " + CloudStatus.allCases.map(\.rawValue).sorted().joined(separator: ", "), at: at)
            }
            let sent = (item["timestamp"] as? String).flatMap { Int64($0) } ?? (item["timestamp"] as? NSNumber)?.int64Value
            guard let stamp = sent.flatMap({ $0 > 0 ? $0 : nil }) ?? receivedAt else {
                throw WamigrateError(
                    .inputJSON, "a status has no timestamp (Unix seconds), so its order among the others is unknown",
                    hint: "export the webhook's statuses objects unchanged (recipient_id, status, timestamp, errors)", at: at)
            }
            let errors = item["errors"] as? [[String: Any]] ?? []
            return DeliveryStatus(
                messageID: item["id"] as? String, recipient: recipient.filter(\.isNumber),
                userID: item["recipient_user_id"] as? String, status: status, timestamp: stamp,
                // A code sent as a string ("131026") is the same code.
                errorCodes: errors.compactMap {
                    ($0["code"] as? NSNumber)?.intValue ?? ($0["code"] as? String).flatMap { Int($0) }
                },
                errorTitle: errors.first?["title"] as? String, line: number,
                callback: item["biz_opaque_callback_data"] as? String)
        }
    }
}

extension DeliveryStatus {
    /// A status the store kept (`message_statuses`); its row id orders ties.
    init(_ record: StatusRecord) {
        self.init(
            messageID: record.wamid, recipient: record.recipient, userID: record.userID, status: record.status,
            timestamp: record.at, errorCodes: record.errorCodes, errorTitle: record.errorTitle, line: Int(record.id),
            callback: record.callback)
    }

    /// The form the store keeps, when the status names its message.
    var record: StatusRecord? {
        guard let messageID else { return nil }
        return StatusRecord(
            wamid: messageID, status: status, at: timestamp, recipient: recipient, userID: userID, errorCodes: errorCodes,
            errorTitle: errorTitle, callback: callback)
    }
}
