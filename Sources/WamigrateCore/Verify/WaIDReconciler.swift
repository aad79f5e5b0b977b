import Foundation
import GRDB

/// When contacts turn out to share a wa_id (the same WhatsApp user under two
/// numbers: Brazil's ninth digit, Mexico's `1`), they become one contact. Fields
/// are picked again from all their rows by the dedupe survivorship rules; every
/// row of the absorbed contact becomes `merged` into the survivor, and the merge
/// is logged in `wa_merges`. The survivor is the contact whose number is the
/// wa_id, else the one created first.
struct WaIDReconciler {
    func run(_ db: Database) throws -> Int {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT r.wa_id AS wa_id, c.id AS id, c.e164 AS e164, c.seq AS seq FROM contacts c
                JOIN registrations r ON r.e164 = c.e164
                WHERE r.status = 'on_whatsapp' AND r.wa_id IS NOT NULL AND r.wa_id IN (
                  SELECT r2.wa_id FROM registrations r2 JOIN contacts c2 ON c2.e164 = r2.e164
                  WHERE r2.status = 'on_whatsapp' AND r2.wa_id IS NOT NULL GROUP BY r2.wa_id HAVING COUNT(*) > 1)
                ORDER BY r.wa_id, c.seq
                """)
        guard !rows.isEmpty else { return 0 }
        let sources = try Row.fetchAll(db, sql: "SELECT id, name, priority FROM sources")
        let survivorship = Survivorship(
            priorities: Dictionary(uniqueKeysWithValues: sources.map { ($0["id"] as Int64, $0["priority"] as Int) }))
        let names = Dictionary(uniqueKeysWithValues: sources.map { ($0["id"] as Int64, $0["name"] as String) })
        var merges = 0
        for group in Dictionary(grouping: rows, by: { $0["wa_id"] as String }).values {
            let waID: String = group[0]["wa_id"]
            let survivor = group.first { ($0["e164"] as String) == "+" + waID } ?? group[0]
            let survivorID: String = survivor["id"]
            let absorbed = group.filter { ($0["id"] as String) != survivorID }
            try merge(db, survivorID: survivorID, absorbed: absorbed, waID: waID, survivorship: survivorship, names: names)
            // Survivorship picked consent again from the rows; the ledger has the last word.
            try ContactConsent.refresh(db, addresses: group.map { $0["e164"] as String })
            merges += absorbed.count
        }
        return merges
    }

    private func merge(
        _ db: Database, survivorID: String, absorbed: [Row], waID: String, survivorship: Survivorship,
        names: [Int64: String]
    ) throws {
        for row in absorbed {
            let id: String = row["id"]
            let moved = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact_rows WHERE contact_id = ?", arguments: [id]) ?? 0
            try db.execute(
                sql: "UPDATE contact_rows SET contact_id = ?, disposition = 'merged' WHERE contact_id = ?",
                arguments: [survivorID, id])
            try db.execute(sql: "DELETE FROM conflicts WHERE contact_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM contacts WHERE id = ?", arguments: [id])
            try db.execute(
                sql:
                    "INSERT INTO wa_merges (wa_id, survivor_id, merged_id, merged_e164, rows, merged_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [waID, survivorID, id, row["e164"] as String, moved, Clock.isoNow()])
        }
        let members = try Row.fetchAll(
            db,
            sql: """
                SELECT r.id, r.source_id, r.record, r.name, r.email, r.consent, r.consent_at, r.seen_at, r.viber_id,
                       r.tags, r.language
                FROM contact_rows cr JOIN input_rows r ON r.id = cr.row_id
                WHERE cr.contact_id = ? ORDER BY r.id
                """, arguments: [survivorID])
        let group = members.map { row in
            MergeRow(
                id: row[0], sourceID: row[1], record: row[2], name: row[3], email: row[4],
                consent: ConsentState(rawValue: row[5]) ?? .unknown, consentAt: row[6], seenAt: row[7], viberID: row[8],
                tags: row[9], language: row[10])
        }
        let contact = survivorship.merge(group)
        let lineage = try Lineage(db)
        let rows = group.map { lineage.reference($0.sourceID, $0.record) }.joined(separator: " ")
        try db.execute(
            sql: """
                UPDATE contacts SET viber_id = ?, name = ?, name_row = ?, email = ?, email_row = ?, consent = ?, consent_at = ?,
                  consent_row = ?, consent_rule = ?, language = ?, sources = ?, tags = ?, row_count = ?, first_row = ?,
                  source_rows = ?, conflict = ? WHERE id = ?
                """,
            arguments: [
                contact.viberID?.value, contact.name?.value, contact.name?.row, contact.email?.value, contact.email?.row,
                contact.consent.rawValue, contact.consentAt, contact.consentRow, contact.consentRule, contact.language?.value,
                contact.sourceIDs.compactMap { names[$0] }.joined(separator: ","),
                contact.tags.isEmpty ? nil : contact.tags.joined(separator: ","), group.count, group.first?.id, rows,
                contact.conflicts.isEmpty ? nil : contact.conflicts.joined(separator: ","), survivorID,
            ])
        // Exactly one row stays `kept`: the survivor's first.
        try db.execute(
            sql: """
                UPDATE contact_rows SET disposition = CASE WHEN row_id = ? THEN 'kept' ELSE 'merged' END WHERE contact_id = ?
                """, arguments: [group.first?.id, survivorID])
        try db.execute(sql: "DELETE FROM conflicts WHERE contact_id = ?", arguments: [survivorID])
        for kind in contact.conflicts {
            try db.execute(
                sql: "INSERT INTO conflicts (contact_id, kind, row_ids) VALUES (?, ?, ?)",
                arguments: [survivorID, kind, group.map { String($0.id) }.joined(separator: ",")])
        }
    }
}
