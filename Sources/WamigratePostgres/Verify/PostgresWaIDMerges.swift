import Foundation
import WamigrateBase
import WamigrateModel

/// Verify's merge of contacts that turn out to share a wa_id (the same WhatsApp user under two
/// numbers: Brazil's ninth digit, Mexico's `1`), inside verify's last transaction, as the
/// SQLite store's `WaIDReconciler` does it: the survivor is the contact whose number is the
/// wa_id, else the one numbered first; every row of the others becomes `merged` into it, each
/// merge is logged in `wa_merges`, the survivor's fields are picked again from all its rows by
/// `merge` (Core's survivorship), and the ledger has the last word on consent.
extension PostgresJobStore {
    func mergeContactsSharingWaIDs(merge: (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact) throws -> Int {
        let onWhatsApp = RegistrationStatus.onWhatsApp.rawValue
        let shared = try connection.execute(
            """
            SELECT r.wa_id, c.id, c.e164 FROM contacts c JOIN registrations r ON r.e164 = c.e164
            WHERE r.status = $1 AND r.wa_id IS NOT NULL AND r.wa_id IN (
              SELECT r2.wa_id FROM registrations r2 JOIN contacts c2 ON c2.e164 = r2.e164
              WHERE r2.status = $1 AND r2.wa_id IS NOT NULL GROUP BY r2.wa_id HAVING COUNT(*) > 1)
            ORDER BY r.wa_id COLLATE "C", c.seq
            """, [onWhatsApp])
        guard shared.count > 0 else { return 0 }
        var groups: [(waID: String, members: [(id: String, e164: String)])] = []
        for index in 0..<shared.count {
            let waID = shared.string(index, 0) ?? ""
            let member = (id: shared.string(index, 1) ?? "", e164: shared.string(index, 2) ?? "")
            if groups.last?.waID == waID {
                groups[groups.count - 1].members.append(member)
            } else {
                groups.append((waID, [member]))
            }
        }
        let sources = try JobSources(connection)
        var merges = 0
        for group in groups {
            let survivor = group.members.first { $0.e164 == "+" + group.waID } ?? group.members[0]
            for absorbed in group.members where absorbed.id != survivor.id {
                let moved = try connection.execute(
                    "UPDATE contact_rows SET contact_id = $1, disposition = $2 WHERE contact_id = $3",
                    [survivor.id, RowDisposition.merged.rawValue, absorbed.id]
                ).changes
                try connection.execute("DELETE FROM conflicts WHERE contact_id = $1", [absorbed.id])
                try connection.execute("DELETE FROM contacts WHERE id = $1", [absorbed.id])
                try connection.execute(
                    """
                    INSERT INTO wa_merges (wa_id, survivor_id, merged_id, merged_e164, rows, merged_at)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    """, [group.waID, survivor.id, absorbed.id, absorbed.e164, moved, Clock.isoNow()])
                merges += 1
            }
            try rewrite(survivor.id, sources: sources, merge: merge)
            _ = try refreshContactConsent(addresses: group.members.map(\.e164))
        }
        return merges
    }

    /// A contact's fields picked again from every row now linked to it (in row order; the
    /// first stays `kept`), and its conflicts replaced.
    private func rewrite(
        _ id: String, sources: JobSources, merge: (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact
    ) throws {
        let found = try connection.execute(
            """
            SELECT \(MergeRow.columns) FROM contact_rows cr JOIN input_rows r ON r.id = cr.row_id
            WHERE cr.contact_id = $1 ORDER BY r.id
            """, [id])
        let at = MergeRowPositions(found)
        let rows = (0..<found.count).map { at.row(found, $0) }
        guard let first = rows.first else { return }
        let contact = merge(sources.priorities, rows)
        let stored = StoredContact(contact, rows: rows, names: sources.names, lineage: sources.lineage)
        try connection.execute(
            """
            UPDATE contacts SET viber_id = $1, name = $2, name_row = $3, email = $4, email_row = $5, consent = $6,
              consent_at = $7, consent_row = $8, consent_rule = $9, language = $10, sources = $11, tags = $12,
              row_count = $13, first_row = $14, source_rows = $15, conflict = $16 WHERE id = $17
            """,
            [
                stored.viberID, stored.name, stored.nameRow, stored.email, stored.emailRow, stored.consent, stored.consentAt,
                stored.consentRow, stored.consentRule, stored.language, stored.sources, stored.tags, stored.rowCount,
                stored.firstRow, stored.sourceRows, stored.conflict, id,
            ])
        try connection.execute(
            "UPDATE contact_rows SET disposition = CASE WHEN row_id = $1 THEN $2 ELSE $3 END WHERE contact_id = $4",
            [first.id, RowDisposition.kept.rawValue, RowDisposition.merged.rawValue, id])
        try connection.execute("DELETE FROM conflicts WHERE contact_id = $1", [id])
        let rowIDs = rows.map { String($0.id) }.joined(separator: ",")
        for kind in contact.conflicts {
            try connection.execute(
                "INSERT INTO conflicts (contact_id, kind, row_ids) VALUES ($1, $2, $3)", [id, kind, rowIDs])
        }
    }
}
