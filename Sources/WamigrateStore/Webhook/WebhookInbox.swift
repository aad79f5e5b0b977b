import Crypto
import Foundation
import GRDB
import WamigrateBase

/// The webhook inbox (`webhook_inbox`): bodies are appended raw before anything is
/// made of them, so a crash between the two loses nothing and processing can run again.
extension JobStore {
    /// Appends a body unless the same bytes are there already; returns its id, nil for a redelivery.
    public func appendWebhook(_ body: Data, origin: String, signature: String, at time: Int64) throws -> Int64? {
        let digest = Hex.string(SHA256.hash(data: body))
        return try write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO webhook_inbox (received_at, origin, signature, sha256, body)
                    VALUES (?, ?, ?, ?, ?)
                    """, arguments: [time, origin, signature, digest, body])  // the bytes as received (a BLOB)
            return db.changesCount > 0 ? db.lastInsertedRowID : nil
        }
    }

    /// Bodies not processed yet, oldest first.
    public func unprocessedWebhooks(limit: Int) throws -> [InboxBody] {
        try read { db in
            try InboxBody.fetchAll(
                db,
                sql: """
                    SELECT id, origin, body, received_at FROM webhook_inbox WHERE processed_at IS NULL ORDER BY id LIMIT ?
                    """,
                arguments: [limit])  // body: a BLOB, or older TEXT (both decode as Data)
        }
    }

    public func markWebhooksProcessed(_ ids: [Int64], at time: Int64) throws {
        guard !ids.isEmpty else { return }
        try write { db in
            for id in ids {
                try db.execute(
                    sql: "UPDATE webhook_inbox SET processed_at = ? WHERE id = ? AND processed_at IS NULL",
                    arguments: [time, id])
            }
        }
    }
}

extension InboxBody: FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.storeColumns
}
