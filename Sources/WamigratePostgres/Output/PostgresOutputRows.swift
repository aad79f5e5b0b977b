import Foundation
import WamigrateModel

/// The ordered scans the output files are written from, inside one read transaction, in
/// batches through cursors; the same rows in the same order as the SQLite store's
/// `SQLiteOutputRows` (numbers ordered byte by byte: `COLLATE "C"`).
struct PostgresOutputRows: OutputRows {
    let connection: PostgresConnection
    let lineage: Lineage

    func forEachContact(_ visit: (ContactOutput) throws -> Void) throws {
        try connection.forEachBatch(
            """
            SELECT c.id AS contact_id, c.e164, c.region, c.number_type, c.name, c.email, c.consent, c.consent_at,
                   c.sources, c.source_rows, c.viber_id, c.tags, c.language, c.conflict,
                   n.source_id AS name_source_id, n.record AS name_record, e.source_id AS email_source_id,
                   e.record AS email_record, k.source_id AS consent_source_id, k.record AS consent_record, c.consent_rule
            FROM contacts c
            LEFT JOIN input_rows n ON n.id = c.name_row
            LEFT JOIN input_rows e ON e.id = c.email_row
            LEFT JOIN input_rows k ON k.id = c.consent_row
            WHERE c.e164 IS NOT NULL ORDER BY c.e164 COLLATE "C"
            """
        ) { rows in
            let column = rows.column
            let provenance = ["name", "email", "consent"].map { (column($0 + "_source_id"), column($0 + "_record")) }
            let (id, e164, region, type, name, email) = (
                column("contact_id"), column("e164"), column("region"), column("number_type"), column("name"), column("email")
            )
            let (consent, consentAt, sources, sourceRows, viber, tags) = (
                column("consent"), column("consent_at"), column("sources"), column("source_rows"), column("viber_id"),
                column("tags")
            )
            let (language, conflict, rule) = (column("language"), column("conflict"), column("consent_rule"))
            for index in 0..<rows.count {
                func from(_ field: Int) -> String? {
                    lineage.reference(rows.int64(index, provenance[field].0), rows.int64(index, provenance[field].1))
                }
                var contact = ContactOutput(contactID: rows.string(index, id) ?? "")
                contact.e164 = rows.string(index, e164)
                contact.region = rows.string(index, region)
                contact.numberType = rows.string(index, type)
                contact.name = rows.string(index, name)
                contact.email = rows.string(index, email)
                contact.consent = rows.string(index, consent)
                contact.consentAt = rows.int64(index, consentAt)
                contact.sources = rows.string(index, sources)
                contact.sourceRows = rows.string(index, sourceRows)
                contact.viberID = rows.string(index, viber)
                contact.tags = rows.string(index, tags)
                contact.language = rows.string(index, language)
                contact.conflict = rows.string(index, conflict)
                contact.nameFrom = from(0)
                contact.emailFrom = from(1)
                contact.consentFrom = from(2)
                contact.consentRule = rows.string(index, rule)
                try visit(contact)
            }
        }
    }

    func forEachRejected(_ visit: (RejectedOutput) throws -> Void) throws {
        try connection.forEachBatch(
            """
            SELECT r.source_id, r.line, r.record, r.phone_raw, n.reason, n.flags
            FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
            WHERE n.outcome = \(RowOutcome.rejected.quoted) ORDER BY r.id
            """
        ) { rows in
            let (source, line, record, raw, reason, flags) = (
                rows.column("source_id"), rows.column("line"), rows.column("record"), rows.column("phone_raw"),
                rows.column("reason"), rows.column("flags")
            )
            for index in 0..<rows.count {
                try visit(
                    RejectedOutput(
                        sourceFile: lineage.file(rows.int64(index, source) ?? 0), line: rows.int64(index, line) ?? 0,
                        record: rows.int64(index, record) ?? 0, rawValue: rows.string(index, raw),
                        reason: rows.string(index, reason) ?? "", flags: rows.string(index, flags)))
            }
        }
    }

    func forEachViberOnly(_ visit: (ViberOnlyOutput) throws -> Void) throws {
        try connection.forEachBatch(
            """
            SELECT c.id AS contact_id, c.viber_id, r.source_id, r.line, r.record, c.name, c.consent, c.consent_at,
                   c.source_rows, n.reason AS phone_reason
            FROM contacts c JOIN input_rows r ON r.id = c.first_row JOIN normalized_rows n ON n.row_id = c.first_row
            WHERE c.e164 IS NULL ORDER BY c.first_row
            """
        ) { rows in
            let column = rows.column
            let (id, viber, source, line, record, name) = (
                column("contact_id"), column("viber_id"), column("source_id"), column("line"), column("record"),
                column("name")
            )
            let (consent, consentAt, sourceRows, reason) = (
                column("consent"), column("consent_at"), column("source_rows"), column("phone_reason")
            )
            for index in 0..<rows.count {
                var contact = ViberOnlyOutput(
                    contactID: rows.string(index, id) ?? "", sourceFile: lineage.file(rows.int64(index, source) ?? 0),
                    line: rows.int64(index, line) ?? 0, record: rows.int64(index, record) ?? 0)
                contact.viberID = rows.string(index, viber)
                contact.name = rows.string(index, name)
                contact.consent = rows.string(index, consent)
                contact.consentAt = rows.int64(index, consentAt)
                contact.sourceRows = rows.string(index, sourceRows)
                contact.phoneReason = rows.string(index, reason)
                try visit(contact)
            }
        }
    }

    func forEachListEntry(_ visit: (ListEntryOutput) throws -> Void) throws {
        try connection.forEachBatch(
            """
            SELECT l.list, l.contact_id, COALESCE(c.e164, n.candidates) AS e164, g.wa_id, l.status, g.checked_at,
                   COALESCE(l.consent, c.consent) AS consent, l.channel, l.reason, c.viber_id, c.source_rows,
                   r.source_id AS row_source_id, r.record AS row_record, e.source AS consent_source,
                   e.at AS consent_at, e.evidence AS consent_evidence, e.wording_version AS consent_wording_version
            FROM import_lists l
            LEFT JOIN consent_events e ON e.id = l.consent_event
            LEFT JOIN contacts c ON c.id = l.contact_id
            LEFT JOIN registrations g ON g.e164 = c.e164
            LEFT JOIN input_rows r ON r.id = l.row_id
            LEFT JOIN normalized_rows n ON n.row_id = l.row_id AND l.list = 'review'
            ORDER BY l.seq
            """
        ) { rows in
            let column = rows.column
            let (list, id, e164, waID, status, checkedAt) = (
                column("list"), column("contact_id"), column("e164"), column("wa_id"), column("status"),
                column("checked_at")
            )
            let (consent, channel, reason, viber, sourceRows, rowSource, rowRecord) = (
                column("consent"), column("channel"), column("reason"), column("viber_id"), column("source_rows"),
                column("row_source_id"), column("row_record")
            )
            let (consentSource, consentAt, evidence, wording) = (
                column("consent_source"), column("consent_at"), column("consent_evidence"),
                column("consent_wording_version")
            )
            for index in 0..<rows.count {
                var entry = ListEntryOutput(list: rows.string(index, list) ?? "")
                entry.contactID = rows.string(index, id)
                entry.e164 = rows.string(index, e164)
                entry.waID = rows.string(index, waID)
                entry.status = rows.string(index, status)
                entry.checkedAt = rows.int64(index, checkedAt)
                entry.consent = rows.string(index, consent)
                entry.channel = rows.string(index, channel)
                entry.reason = rows.string(index, reason)
                entry.viberID = rows.string(index, viber)
                entry.sourceRows =
                    rows.string(index, sourceRows)
                    ?? lineage.reference(rows.int64(index, rowSource), rows.int64(index, rowRecord))
                entry.consentSource = rows.string(index, consentSource)
                entry.consentAt = rows.int64(index, consentAt)
                entry.consentEvidence = rows.string(index, evidence)
                entry.consentWordingVersion = rows.string(index, wording)
                try visit(entry)
            }
        }
    }
}
