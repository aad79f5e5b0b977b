import Foundation
import GRDB
import WamigrateBase

/// One contact as dedupe's reader prepared it: its key (an E.164, or `~` and a Viber id
/// for a Viber-only contact), its rows in row order and the fields survivorship picked.
/// The writer only binds and inserts.
struct PreparedContact {
    var key: String
    var id: String
    var region: String?
    var numberType: String?
    /// Rows that joined through their Viber id.
    var linked: Int
    var rows: [MergeRow]
    var contact: MergedContact

    var isViberOnly: Bool { key.hasPrefix("~") }
    /// The ledger address: the number, or `viber:<id>`.
    var address: String { isViberOnly ? "viber:" + key.dropFirst() : key }
}

/// Dedupe's reading half: on a second, read-only connection and its own thread, reads the
/// normalized rows in key order, groups them per key, merges each group and names its
/// contact, and hands batches to the writer (`HandOff`). The sort, the decoding and
/// survivorship run while the writer inserts the previous batches. It reads only what
/// normalize committed, which the writer's transaction does not change.
enum ContactGroupReader {
    static let batchSize = 1024

    /// Starts reading `path`; `merge` picks a group's fields (called on the reader's thread).
    /// The caller must `stop` the hand-off: the connection is closed by then (a read-only
    /// connection must not outlive the writer's transaction).
    static func start(path: String, salt: String, merge: @escaping ([MergeRow]) -> MergedContact) throws
        -> HandOff<[PreparedContact]>
    {
        let store = try JobStore(existingAt: path)
        // A writer that fails while SQLite still sorts does not wait for the sort to finish.
        return HandOff.start(interrupt: { [weak store] in store?.interrupt() }) { groups in
            try store.read { db in try read(db, salt: salt, merge: merge, into: groups) }
        }
    }

    private static func read(
        _ db: Database, salt: String, merge: ([MergeRow]) -> MergedContact, into groups: HandOff<[PreparedContact]>
    ) throws {
        let (cursor, at) = try db.positionedCursor(sql: Self.rowsInKeyOrder)
        let mergeRow = MergeRowColumns(at)
        let (keyAt, regionAt, typeAt, linkedAt) = (at("key"), at("region"), at("number_type"), at("linked"))
        var batch: [PreparedContact] = []
        batch.reserveCapacity(Self.batchSize)
        var key: String?
        var rows: [MergeRow] = []
        var region: String?
        var numberType: String?
        var linked = 0
        func close() throws {
            guard let key, !rows.isEmpty else { return }
            batch.append(
                PreparedContact(
                    key: key, id: JobStore.contactID(salt: salt, key: key), region: region, numberType: numberType,
                    linked: linked, rows: rows, contact: merge(rows)))
            if batch.count == Self.batchSize {
                try groups.put(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        while let row = try cursor.next() {
            let rowKey: String = row[keyAt]
            if rowKey != key {
                try close()
                key = rowKey
                rows = []
                region = nil
                numberType = nil
                linked = 0
            }
            rows.append(mergeRow.row(row))
            if region == nil { region = row[regionAt] }
            if numberType == nil { numberType = row[typeAt] }
            if (row[linkedAt] as Int) == 1 { linked += 1 }
        }
        try close()
        if !batch.isEmpty { try groups.put(batch) }
    }

    /// Every row that makes a contact, in (key, row) order (`PipelineQueries.rowsInKeyOrder`).
    static let rowsInKeyOrder = SQLiteOutputRows.queries.rowsInKeyOrder
}
