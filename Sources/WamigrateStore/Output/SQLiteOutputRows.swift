import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

/// The ordered scans the output files are written from, inside one read transaction;
/// provenance (`file:record`) is resolved here, everything shown is decided in Core.
struct SQLiteOutputRows: OutputRows {
    let db: Database
    let lineage: Lineage

    init(_ db: Database) throws {
        self.db = db
        lineage = try Lineage(db)
    }

    func forEachContact(_ visit: (ContactOutput) throws -> Void) throws {
        // The rows each field came from, joined here (a point query per field per
        // contact through GRDB cost more than the rest of the file).
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.id AS contact_id, c.e164, c.region, c.number_type, c.name, c.email, c.consent, c.consent_at,
                       c.sources, c.source_rows, c.viber_id, c.tags, c.language, c.conflict,
                       n.source_id AS name_source_id, n.record AS name_record, e.source_id AS email_source_id,
                       e.record AS email_record, k.source_id AS consent_source_id, k.record AS consent_record,
                       c.consent_rule
                FROM contacts c
                LEFT JOIN input_rows n ON n.id = c.name_row
                LEFT JOIN input_rows e ON e.id = c.email_row
                LEFT JOIN input_rows k ON k.id = c.consent_row
                WHERE c.e164 IS NOT NULL ORDER BY c.e164
                """)
        func from(_ row: Row, _ field: String) -> String? {
            lineage.reference(row[field + "_source_id"] as Int64?, row[field + "_record"] as Int64?)
        }
        while let row = try cursor.next() {
            var contact = ContactOutput(contactID: row["contact_id"])
            contact.e164 = row["e164"]
            contact.region = row["region"]
            contact.numberType = row["number_type"]
            contact.name = row["name"]
            contact.email = row["email"]
            contact.consent = row["consent"]
            contact.consentAt = row["consent_at"]
            contact.sources = row["sources"]
            contact.sourceRows = row["source_rows"]
            contact.viberID = row["viber_id"]
            contact.tags = row["tags"]
            contact.language = row["language"]
            contact.conflict = row["conflict"]
            contact.nameFrom = from(row, "name")
            contact.emailFrom = from(row, "email")
            contact.consentFrom = from(row, "consent")
            contact.consentRule = row["consent_rule"]
            try visit(contact)
        }
    }

    func forEachRejected(_ visit: (RejectedOutput) throws -> Void) throws {
        let cursor = try SQLRequest<Row>(
            """
            SELECT r.source_id, r.line, r.record, r.phone_raw, n.reason, n.flags
            FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id WHERE n.outcome = \(RowOutcome.rejected) ORDER BY r.id
            """
        ).fetchCursor(db)
        while let row = try cursor.next() {
            try visit(
                RejectedOutput(
                    sourceFile: lineage.file(row["source_id"]), line: row["line"], record: row["record"],
                    rawValue: row["phone_raw"], reason: row["reason"], flags: row["flags"]))
        }
    }

    func forEachViberOnly(_ visit: (ViberOnlyOutput) throws -> Void) throws {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.id AS contact_id, c.viber_id, r.source_id, r.line, r.record, c.name, c.consent, c.consent_at,
                       c.source_rows, n.reason AS phone_reason
                FROM contacts c JOIN input_rows r ON r.id = c.first_row JOIN normalized_rows n ON n.row_id = c.first_row
                WHERE c.e164 IS NULL ORDER BY c.first_row
                """)
        while let row = try cursor.next() {
            var contact = ViberOnlyOutput(
                contactID: row["contact_id"], sourceFile: lineage.file(row["source_id"]), line: row["line"],
                record: row["record"])
            contact.viberID = row["viber_id"]
            contact.name = row["name"]
            contact.consent = row["consent"]
            contact.consentAt = row["consent_at"]
            contact.sourceRows = row["source_rows"]
            contact.phoneReason = row["phone_reason"]
            try visit(contact)
        }
    }

    func forEachListEntry(_ visit: (ListEntryOutput) throws -> Void) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
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
                ORDER BY l.rowid
                """)
        while let row = try rows.next() {
            var entry = ListEntryOutput(list: row["list"])
            entry.contactID = row["contact_id"]
            entry.e164 = row["e164"]
            entry.waID = row["wa_id"]
            entry.status = row["status"]
            entry.checkedAt = row["checked_at"]
            entry.consent = row["consent"]
            entry.channel = row["channel"]
            entry.reason = row["reason"]
            entry.viberID = row["viber_id"]
            entry.sourceRows =
                row["source_rows"] ?? lineage.reference(row["row_source_id"] as Int64?, row["row_record"] as Int64?)
            entry.consentSource = row["consent_source"]
            entry.consentAt = row["consent_at"]
            entry.consentEvidence = row["consent_evidence"]
            entry.consentWordingVersion = row["consent_wording_version"]
            try visit(entry)
        }
    }
}
