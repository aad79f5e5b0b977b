import Foundation
import WamigrateBase
import WamigrateModel

/// Dedupe's reading half on PostgreSQL: on a second connection (a read-only, repeatable-read
/// snapshot of what normalize committed, which dedupe's transaction does not change) and its
/// own thread, reads the rows in key order, groups them per key, merges each group and names
/// its contact, and hands batches to the writer (`HandOff`); the server sorts and the reader
/// merges while the writer copies the previous batches. As the SQLite store's
/// `ContactGroupReader`.
enum PostgresContactGroupReader {
    static let fetchRows = 5_000

    /// The caller must `stop` the hand-off: the connection is closed by then.
    static func start(
        _ address: PostgresAddress, salt: String, priorities: [Int64: Int],
        merge: @escaping (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact
    ) throws -> HandOff<[PreparedGroup]> {
        let connection = try PostgresConnection(address)
        // A writer that stops while the server still sorts cancels the query instead of waiting.
        return HandOff.start(interrupt: { connection.cancel() }) { groups in
            try connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            var open: PreparedGroup?
            try connection.forEachBatch(PostgresJobStore.queries.rowsInKeyOrder, size: fetchRows) { rows in
                var batch: [PreparedGroup] = []
                let at = MergeRowPositions(rows)
                let (keyAt, regionAt, typeAt, linkedAt) = (
                    rows.column("key"), rows.column("region"), rows.column("number_type"), rows.column("linked")
                )
                for index in 0..<rows.count {
                    let key = rows.string(index, keyAt) ?? ""
                    if open?.key != key {
                        if var done = open {
                            done.contact = merge(priorities, done.rows)
                            batch.append(done)
                        }
                        open = PreparedGroup(key: key, id: StoredContact.id(salt: salt, key: key))
                    }
                    open!.rows.append(at.row(rows, index))
                    if open!.region == nil { open!.region = rows.string(index, regionAt) }
                    if open!.numberType == nil { open!.numberType = rows.string(index, typeAt) }
                    if rows.int(index, linkedAt) == 1 { open!.linked += 1 }
                }
                if !batch.isEmpty { try groups.put(batch) }
            }
            if var last = open {
                last.contact = merge(priorities, last.rows)
                try groups.put([last])
            }
            try connection.run("COMMIT")
        }
    }
}
