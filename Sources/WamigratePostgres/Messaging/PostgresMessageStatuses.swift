import Foundation
import WamigrateBase
import WamigrateModel

/// Statuses on PostgreSQL, as on SQLite: each (message, status, time, errors) kept once, a wave
/// message's `delivery` moved only to a more meaningful status (sent < failed < delivered <
/// read), a message left `sending` or `in_doubt` settled as sent when a status names its key.
extension PostgresJobStore {
    public func recordStatuses(_ items: [(inboxID: Int64, status: StatusRecord)]) throws -> Set<String> {
        guard !items.isEmpty else { return [] }
        return try write {
            var touched = Set<String>()
            for (inboxID, s) in items {
                let codes = s.errorCodes.map(String.init).joined(separator: ",")
                let added = try connection.execute(
                    """
                    INSERT INTO message_statuses (inbox_id, wamid, status, at, recipient, user_id, error_codes,
                      error_title, callback) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING
                    """,
                    [inboxID, s.wamid, s.status.rawValue, s.at, s.recipient, s.userID, codes, s.errorTitle, s.callback]
                ).changes
                guard added > 0 else { continue }
                touched.insert(s.recipient)
                if let key = s.callback {
                    try connection.execute(
                        """
                        UPDATE wave_messages SET state = $1, wamid = $2, sent_at = COALESCE(sent_at, $3), reason = $4
                        WHERE idempotency_key = $5 AND state IN ($6, $7)
                        """,
                        [
                            MessageState.sent, s.wamid, s.at, MessageReason.settledByWebhook, key, MessageState.sending,
                            MessageState.inDoubt,
                        ])
                }
                try connection.execute(
                    """
                    UPDATE wave_messages SET delivery = $1, delivery_at = $2, error_code = COALESCE($3, error_code)
                    WHERE (wamid = $4 OR ($5::text IS NOT NULL AND idempotency_key = $5))
                      AND \(CloudStatus.rankSQL("$1::text")) > \(CloudStatus.rankSQL("delivery"))
                    """, [s.status.rawValue, s.at, codes.isEmpty ? nil : codes, s.wamid, s.callback])
            }
            return touched
        }
    }

    public func statuses(recipients: Set<String>) throws -> [StatusRecord] {
        guard !recipients.isEmpty else { return [] }
        return try read {
            let rows = try connection.execute(
                """
                SELECT id, wamid, status, at, recipient, user_id, error_codes, error_title, callback
                FROM message_statuses WHERE recipient = ANY($1::text[]) ORDER BY recipient COLLATE "C", id
                """, [PostgresArray(recipients.sorted())])
            return (0..<rows.count).map { index in
                var record = StatusRecord(
                    wamid: rows.string(index, 1) ?? "", status: CloudStatus(rawValue: rows.string(index, 2) ?? "") ?? .sent,
                    at: rows.int64(index, 3) ?? 0, recipient: rows.string(index, 4) ?? "", userID: rows.string(index, 5),
                    errorCodes: (rows.string(index, 6) ?? "").split(separator: ",").compactMap { Int($0) },
                    errorTitle: rows.string(index, 7), callback: rows.string(index, 8))
                record.id = rows.int64(index, 0) ?? 0
                return record
            }
        }
    }
}
