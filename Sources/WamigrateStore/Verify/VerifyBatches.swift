import Foundation
import GRDB
import WamigrateBase

/// The verify stage's ledger of batches. A batch is written before it is sent,
/// marked `sent` (attempts + 1) just before each send, and marked `done` in the
/// same transaction that stores its answers: a process killed at any moment
/// leaves every number either answered once or in a batch still to send.
struct SQLiteVerifyBatches: VerifyBatches {
    var store: JobStore

    /// Numbers in batches not yet answered (pending, sent, or failed earlier).
    func openNumbers(_ db: Database) throws -> Set<String> {
        Set(
            try SQLRequest<String>(
                """
                SELECT i.e164 FROM verify_items i JOIN verify_batches b ON b.id = i.batch_id
                WHERE b.state != \(VerifyBatchState.done)
                """
            ).fetchAll(db))
    }

    /// Writes new pending batches of at most `size` numbers.
    func plan(_ numbers: [String], size: Int, forceCheck: Bool, runID: Int64, in db: Database) throws -> Int {
        var count = 0
        var start = 0
        while start < numbers.count {
            let chunk = numbers[start..<min(start + size, numbers.count)]
            try db.execute(
                sql: """
                    INSERT INTO verify_batches (state, size, force_check, created_run, created_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [VerifyBatchState.pending, chunk.count, forceCheck, runID, Clock.isoNow()])
            let batch = db.lastInsertedRowID
            let insert = try db.makeStatement(sql: "INSERT INTO verify_items (batch_id, e164) VALUES (?, ?)")
            for number in chunk { try insert.execute(arguments: [batch, number]) }
            count += 1
            start += size
        }
        return count
    }

    /// Every unanswered batch, oldest first; failed ones go back to pending.
    public func open(runID: Int64) throws -> [VerifyBatch] {
        try store.write { db in
            try db.execute(
                literal: """
                    UPDATE verify_batches SET state = \(VerifyBatchState.pending), error = NULL
                    WHERE state = \(VerifyBatchState.failed)
                    """)
            let rows = try SQLRequest<Row>(
                """
                SELECT id, force_check, created_run, attempts FROM verify_batches
                WHERE state != \(VerifyBatchState.done) ORDER BY id
                """
            ).fetchAll(db)
            return try rows.map { row in
                let id: Int64 = row["id"]
                let numbers = try String.fetchAll(
                    db, sql: "SELECT e164 FROM verify_items WHERE batch_id = ? ORDER BY rowid", arguments: [id])
                let resumed = (row["created_run"] as Int64) != runID || (row["attempts"] as Int) > 0
                return VerifyBatch(id: id, numbers: numbers, forceCheck: row["force_check"], resumed: resumed)
            }
        }
    }

    public func markSent(_ batch: Int64) throws {
        try store.write { db in
            try db.execute(
                sql: "UPDATE verify_batches SET state = ?, attempts = attempts + 1, sent_at = ? WHERE id = ?",
                arguments: [VerifyBatchState.sent, Clock.isoNow(), batch])
        }
    }

    /// Stores the answers and closes the batch, in one transaction.
    public func complete(_ batch: Int64, answer: BatchAnswer, verifier: String, at checkedAt: Int64, runID: Int64) throws {
        try store.write { db in
            let upsert = try db.makeStatement(
                sql: """
                    INSERT INTO registrations (e164, status, answer, wa_id, checked_at, verifier, batch_id, reason, final)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(e164) DO UPDATE SET status = excluded.status, answer = excluded.answer,
                      wa_id = excluded.wa_id, checked_at = excluded.checked_at, verifier = excluded.verifier,
                      batch_id = excluded.batch_id, reason = excluded.reason, final = excluded.final
                    """)
            for item in answer.answers {
                let mapped = RegistrationStatus.fromContactsAPI(item.answer)
                try upsert.execute(arguments: [
                    item.input, mapped.status, item.answer, item.waID, checkedAt, verifier, batch, mapped.reason,
                    mapped.final,
                ])
            }
            try db.execute(
                sql: """
                    UPDATE verify_batches SET state = ?, done_at = ?, done_run = ?, http_status = ?,
                      requests = requests + ? WHERE id = ?
                    """,
                arguments: [VerifyBatchState.done, Clock.isoNow(), runID, answer.httpStatus, answer.attempts, batch])
        }
    }

    public func fail(_ batch: Int64, error: String) throws {
        try store.write { db in
            try db.execute(
                sql: "UPDATE verify_batches SET state = ?, error = ? WHERE id = ?",
                arguments: [VerifyBatchState.failed, error, batch])
        }
    }
}
