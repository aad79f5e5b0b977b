import Foundation
import GRDB
import WamigrateBase

/// When contacts turn out to share a wa_id (the same WhatsApp user under two
/// numbers: Brazil's ninth digit, Mexico's `1`), they become one contact. Fields
/// are picked again from all their rows by the dedupe survivorship rules; every
/// row of the absorbed contact becomes `merged` into the survivor, and the merge
/// is logged in `wa_merges`. The survivor is the contact whose number is the
/// wa_id, else the one created first.
public struct WaIDReconciler {
    /// Survivorship (Core's `Survivorship(priorities:).merge`): picks a contact's
    /// fields from its rows, given each source's priority.
    public var merge: (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact

    public init(merge: @escaping (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact) {
        self.merge = merge
    }

    func run(_ db: Database) throws -> Int {
        let onWhatsApp = RegistrationStatus.onWhatsApp
        let rows = try SQLRequest<Row>(
            """
            SELECT r.wa_id AS wa_id, c.id AS id, c.e164 AS e164, c.seq AS seq FROM contacts c
            JOIN registrations r ON r.e164 = c.e164
            WHERE r.status = \(onWhatsApp) AND r.wa_id IS NOT NULL AND r.wa_id IN (
              SELECT r2.wa_id FROM registrations r2 JOIN contacts c2 ON c2.e164 = r2.e164
              WHERE r2.status = \(onWhatsApp) AND r2.wa_id IS NOT NULL GROUP BY r2.wa_id HAVING COUNT(*) > 1)
            ORDER BY r.wa_id, c.seq
            """
        ).fetchAll(db)
        guard !rows.isEmpty else { return 0 }
        let writer = try ContactWriter(db)
        var merges = 0
        for group in Dictionary(grouping: rows, by: { $0["wa_id"] as String }).values {
            let waID: String = group[0]["wa_id"]
            let survivor = group.first { ($0["e164"] as String) == "+" + waID } ?? group[0]
            let survivorID: String = survivor["id"]
            let absorbed = group.filter { ($0["id"] as String) != survivorID }
            try absorb(absorbed, into: survivorID, waID: waID, in: db)
            let rows = try writer.rows(ofContact: survivorID, in: db)
            try writer.rewrite(id: survivorID, rows: rows, contact: merge(writer.priorities, rows), in: db)
            // Survivorship picked consent again from the rows; the ledger has the last word.
            try ContactConsent.refresh(db, addresses: group.map { $0["e164"] as String })
            merges += absorbed.count
        }
        return merges
    }

    /// Moves every row of the absorbed contacts to the survivor and logs each merge.
    private func absorb(_ absorbed: [Row], into survivorID: String, waID: String, in db: Database) throws {
        for row in absorbed {
            let id: String = row["id"]
            let moved = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact_rows WHERE contact_id = ?", arguments: [id]) ?? 0
            try db.execute(
                sql: "UPDATE contact_rows SET contact_id = ?, disposition = ? WHERE contact_id = ?",
                arguments: [survivorID, RowDisposition.merged, id])
            try db.execute(sql: "DELETE FROM conflicts WHERE contact_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM contacts WHERE id = ?", arguments: [id])
            try db.execute(
                sql:
                    "INSERT INTO wa_merges (wa_id, survivor_id, merged_id, merged_e164, rows, merged_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [waID, survivorID, id, row["e164"] as String, moved, Clock.isoNow()])
        }
    }
}
