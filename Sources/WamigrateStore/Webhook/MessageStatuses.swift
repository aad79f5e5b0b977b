import Foundation
import GRDB
import WamigrateBase

/// Statuses arrive out of order and more than once: each (message, status, time,
/// errors) is kept once, and a wave message's `delivery` only moves to a more
/// meaningful status (sent < failed < delivered < read), whatever the arrival order.
extension JobStore {
    /// Keeps the new statuses, applies them to wave messages; returns the recipients that got a new status.
    public func recordStatuses(_ items: [(inboxID: Int64, status: StatusRecord)]) throws -> Set<String> {
        guard !items.isEmpty else { return [] }
        return try write { db in
            let insert = try db.makeStatement(
                sql: """
                    INSERT OR IGNORE INTO message_statuses (inbox_id, wamid, status, at, recipient, user_id, error_codes,
                      error_title, callback) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let newRank = CloudStatus.rankSQL("?")
            let oldRank = CloudStatus.rankSQL("delivery")
            let delivery = try db.makeStatement(
                sql: """
                    UPDATE wave_messages SET delivery = ?, delivery_at = ?, error_code = COALESCE(?, error_code)
                    WHERE (wamid = ? OR (? IS NOT NULL AND idempotency_key = ?)) AND \(newRank) > \(oldRank)
                    """)
            // A message a crash left in `sending` (or reported in doubt) was accepted if a status names its key.
            let settle = try db.makeStatement(
                sql: """
                    UPDATE wave_messages SET state = ?, wamid = ?, sent_at = COALESCE(sent_at, ?), reason = ?
                    WHERE idempotency_key = ? AND state IN (?, ?)
                    """)
            var touched = Set<String>()
            for (inboxID, s) in items {
                let codes = s.errorCodes.map(String.init).joined(separator: ",")
                try insert.execute(arguments: [
                    inboxID, s.wamid, s.status, s.at, s.recipient, s.userID, codes, s.errorTitle, s.callback,
                ])
                guard db.changesCount > 0 else { continue }
                touched.insert(s.recipient)
                if let key = s.callback {
                    try settle.execute(arguments: [
                        MessageState.sent, s.wamid, s.at, MessageReason.settledByWebhook, key, MessageState.sending,
                        MessageState.inDoubt,
                    ])
                }
                try delivery.execute(arguments: [
                    s.status, s.at, codes.isEmpty ? nil : codes, s.wamid, s.callback, s.callback, s.status,
                ])
            }
            return touched
        }
    }

    /// Every status kept for these recipients, in arrival order.
    public func statuses(recipients: Set<String>) throws -> [StatusRecord] {
        try read { db in
            var out: [StatusRecord] = []
            let statement = try db.makeStatement(
                sql: """
                    SELECT id, wamid, status, at, recipient, user_id, error_codes, error_title, callback
                    FROM message_statuses WHERE recipient = ? ORDER BY id
                    """)
            for recipient in recipients.sorted() {
                out += try StatusRow.fetchAll(statement, arguments: [recipient]).map(\.record)
            }
            return out
        }
    }
}

/// A `message_statuses` row by column name; `error_codes` is kept as a comma list.
private struct StatusRow: Decodable, FetchableRecord {
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.storeColumns
    var id: Int64
    var wamid: String
    var status: CloudStatus
    var at: Int64
    var recipient: String
    var userID: String?
    var errorCodes: String
    var errorTitle: String?
    var callback: String?

    var record: StatusRecord {
        var record = StatusRecord(
            wamid: wamid, status: status, at: at, recipient: recipient, userID: userID,
            errorCodes: errorCodes.split(separator: ",").compactMap { Int($0) }, errorTitle: errorTitle, callback: callback)
        record.id = id
        return record
    }
}
