import Foundation
import WamigrateBase
import WamigrateModel

extension PostgresJobStore: VerifyBatchStore {
    public func verifyBatches() -> any VerifyBatches { PostgresVerifyBatches(store: self) }
}

/// The verify stage's ledger of batches on PostgreSQL, as the SQLite store's: a batch is
/// written before it is sent, marked `sent` (attempts + 1) just before each send, and marked
/// `done` in the transaction that stores its answers. Verify sends batches on several threads
/// and the store's connection takes one statement at a time: every call here holds `lock`.
/// Where SQLite counts on its single writer, batches are taken `FOR UPDATE SKIP LOCKED` and
/// plans made under a table lock, so two processes never plan or take the same batch at once.
final class PostgresVerifyBatches: VerifyBatches {
    let store: PostgresJobStore
    private let lock = NSLock()

    init(store: PostgresJobStore) { self.store = store }

    var connection: PostgresConnection { store.connection }

    /// `body` with the connection to this object's callers alone.
    @discardableResult
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Numbers in batches not yet answered (pending, sent, or failed earlier).
    func openNumbers() throws -> Set<String> {
        let rows = try connection.execute(
            "SELECT i.e164 FROM verify_items i JOIN verify_batches b ON b.id = i.batch_id WHERE b.state != $1",
            [VerifyBatchState.done.rawValue])
        return Set((0..<rows.count).compactMap { rows.string($0, 0) })
    }

    /// Writes new pending batches of at most `size` numbers, each number in the order given.
    func plan(_ numbers: [String], size: Int, forceCheck: Bool, runID: Int64) throws -> Int {
        var count = 0
        var start = 0
        while start < numbers.count {
            let chunk = Array(numbers[start..<min(start + size, numbers.count)])
            let batch =
                try connection.execute(
                    """
                    INSERT INTO verify_batches (state, size, force_check, created_run, created_at)
                    VALUES ($1, $2, $3, $4, $5) RETURNING id
                    """, [VerifyBatchState.pending.rawValue, chunk.count, forceCheck, runID, Clock.isoNow()]
                ).int64(0, 0) ?? 0
            try connection.execute(
                "INSERT INTO verify_items (batch_id, e164) SELECT $1, unnest($2::text[])",
                [batch, PostgresArray(chunk)])
            count += 1
            start += size
        }
        return count
    }

    /// Every unanswered batch not taken by another transaction right now, oldest first; failed
    /// ones go back to pending. A batch's numbers come in the order they were planned (by
    /// number, in byte order: SQLite's insertion order).
    func open(runID: Int64) throws -> [VerifyBatch] {
        try locked {
            try store.write {
                try connection.execute(
                    """
                    UPDATE verify_batches SET state = $1, error = NULL WHERE id IN (
                      SELECT id FROM verify_batches WHERE state = $2 FOR UPDATE SKIP LOCKED)
                    """, [VerifyBatchState.pending.rawValue, VerifyBatchState.failed.rawValue])
                let batches = try connection.execute(
                    """
                    SELECT id, force_check, created_run, attempts FROM verify_batches
                    WHERE state != $1 ORDER BY id FOR UPDATE SKIP LOCKED
                    """, [VerifyBatchState.done.rawValue])
                let ids = (0..<batches.count).map { batches.int64($0, 0) ?? 0 }
                let items = try connection.execute(
                    """
                    SELECT batch_id, e164 FROM verify_items WHERE batch_id = ANY($1::bigint[])
                    ORDER BY batch_id, e164 COLLATE "C"
                    """,
                    [PostgresArray(ids.map(String.init))])
                var numbers: [Int64: [String]] = [:]
                for index in 0..<items.count {
                    numbers[items.int64(index, 0) ?? 0, default: []].append(items.string(index, 1) ?? "")
                }
                return (0..<batches.count).map { index in
                    let resumed = batches.int64(index, 2) != runID || (batches.int(index, 3) ?? 0) > 0
                    return VerifyBatch(
                        id: ids[index], numbers: numbers[ids[index]] ?? [],
                        forceCheck: (batches.int(index, 1) ?? 0) != 0,
                        resumed: resumed)
                }
            }
        }
    }

    func markSent(_ batch: Int64) throws {
        try locked {
            try store.write {
                try connection.execute(
                    "UPDATE verify_batches SET state = $1, attempts = attempts + 1, sent_at = $2 WHERE id = $3",
                    [VerifyBatchState.sent.rawValue, Clock.isoNow(), batch])
            }
        }
    }

    /// Stores the answers and closes the batch, in one transaction. A number answered twice in
    /// one batch keeps its last answer, as the SQLite store's row-by-row upsert leaves it.
    func complete(_ batch: Int64, answer: BatchAnswer, verifier: String, at checkedAt: Int64, runID: Int64) throws {
        var last: [String: Int] = [:]
        for (index, item) in answer.answers.enumerated() { last[item.input] = index }
        let answers = answer.answers.enumerated().filter { last[$0.element.input] == $0.offset }.map(\.element)
        try locked {
            try store.write {
                for start in stride(from: 0, to: answers.count, by: 500) {
                    let chunk = answers[start..<min(start + 500, answers.count)]
                    var values: [any PostgresBindable] = []
                    var tuples: [String] = []
                    for item in chunk {
                        let mapped = RegistrationStatus.fromContactsAPI(item.answer)
                        let at = values.count
                        tuples.append("(" + (1...9).map { "$\(at + $0)" }.joined(separator: ", ") + ")")
                        values +=
                            [
                                item.input, mapped.status, item.answer, item.waID, checkedAt, verifier, batch,
                                mapped.reason,
                                mapped.final,
                            ] as [any PostgresBindable]
                    }
                    try connection.execute(
                        """
                        INSERT INTO registrations (e164, status, answer, wa_id, checked_at, verifier, batch_id, reason,
                          final)
                        VALUES \(tuples.joined(separator: ", "))
                        ON CONFLICT (e164) DO UPDATE SET status = excluded.status, answer = excluded.answer,
                          wa_id = excluded.wa_id, checked_at = excluded.checked_at, verifier = excluded.verifier,
                          batch_id = excluded.batch_id, reason = excluded.reason, final = excluded.final
                        """, values)
                }
                try connection.execute(
                    """
                    UPDATE verify_batches SET state = $1, done_at = $2, done_run = $3, http_status = $4,
                      requests = requests + $5 WHERE id = $6
                    """,
                    [VerifyBatchState.done.rawValue, Clock.isoNow(), runID, answer.httpStatus, answer.attempts, batch])
            }
        }
    }

    func fail(_ batch: Int64, error: String) throws {
        try locked {
            try store.write {
                try connection.execute(
                    "UPDATE verify_batches SET state = $1, error = $2 WHERE id = $3",
                    [VerifyBatchState.failed.rawValue, error, batch])
            }
        }
    }
}
