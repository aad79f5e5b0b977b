import Foundation
import WamigrateModel

/// The ordered scans the output files are written from, inside one read transaction, in
/// batches through cursors; the same rows in the same order as the SQLite store's
/// `SQLiteOutputRows` (numbers ordered byte by byte: `COLLATE "C"`).
struct PostgresOutputRows: OutputRows {
    let connection: PostgresConnection
    let lineage: Lineage

    func forEachContact(_ visit: (ContactOutput) throws -> Void) throws {
        try connection.forEachBatch(PostgresJobStore.queries.contacts) { rows in
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
        try connection.forEachBatch(PostgresJobStore.queries.rejected) { rows in
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
        try connection.forEachBatch(PostgresJobStore.queries.viberOnly) { rows in
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
        try connection.forEachBatch(PostgresJobStore.queries.listEntries) { rows in
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
