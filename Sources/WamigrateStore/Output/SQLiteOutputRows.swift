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
        let (cursor, at) = try db.positionedCursor(
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
        let provenance = ["name", "email", "consent"].map { (source: at($0 + "_source_id"), record: at($0 + "_record")) }
        func from(_ row: Row, _ field: Int) -> String? {
            lineage.reference(row[provenance[field].source] as Int64?, row[provenance[field].record] as Int64?)
        }
        let conflictAt = at("conflict")
        let consentAt = at("consent")
        let consentAtAt = at("consent_at")
        let consentRuleAt = at("consent_rule")
        let contactIdAt = at("contact_id")
        let e164At = at("e164")
        let emailAt = at("email")
        let languageAt = at("language")
        let nameAt = at("name")
        let numberTypeAt = at("number_type")
        let regionAt = at("region")
        let sourceRowsAt = at("source_rows")
        let sourcesAt = at("sources")
        let tagsAt = at("tags")
        let viberIdAt = at("viber_id")
        while let row = try cursor.next() {
            var contact = ContactOutput(contactID: row[contactIdAt])
            contact.e164 = row[e164At]
            contact.region = row[regionAt]
            contact.numberType = row[numberTypeAt]
            contact.name = row[nameAt]
            contact.email = row[emailAt]
            contact.consent = row[consentAt]
            contact.consentAt = row[consentAtAt]
            contact.sources = row[sourcesAt]
            contact.sourceRows = row[sourceRowsAt]
            contact.viberID = row[viberIdAt]
            contact.tags = row[tagsAt]
            contact.language = row[languageAt]
            contact.conflict = row[conflictAt]
            contact.nameFrom = from(row, 0)
            contact.emailFrom = from(row, 1)
            contact.consentFrom = from(row, 2)
            contact.consentRule = row[consentRuleAt]
            try visit(contact)
        }
    }

    func forEachRejected(_ visit: (RejectedOutput) throws -> Void) throws {
        let query: SQL = """
            SELECT r.source_id, r.line, r.record, r.phone_raw, n.reason, n.flags
            FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id WHERE n.outcome = \(RowOutcome.rejected) ORDER BY r.id
            """
        let (cursor, at) = try db.positionedCursor(literal: query)
        let flagsAt = at("flags")
        let lineAt = at("line")
        let phoneRawAt = at("phone_raw")
        let reasonAt = at("reason")
        let recordAt = at("record")
        let sourceIdAt = at("source_id")
        while let row = try cursor.next() {
            try visit(
                RejectedOutput(
                    sourceFile: lineage.file(row[sourceIdAt]), line: row[lineAt], record: row[recordAt],
                    rawValue: row[phoneRawAt], reason: row[reasonAt], flags: row[flagsAt]))
        }
    }

    func forEachViberOnly(_ visit: (ViberOnlyOutput) throws -> Void) throws {
        let (cursor, at) = try db.positionedCursor(
            sql: """
                SELECT c.id AS contact_id, c.viber_id, r.source_id, r.line, r.record, c.name, c.consent, c.consent_at,
                       c.source_rows, n.reason AS phone_reason
                FROM contacts c JOIN input_rows r ON r.id = c.first_row JOIN normalized_rows n ON n.row_id = c.first_row
                WHERE c.e164 IS NULL ORDER BY c.first_row
                """)
        let consentAt = at("consent")
        let consentAtAt = at("consent_at")
        let contactIdAt = at("contact_id")
        let lineAt = at("line")
        let nameAt = at("name")
        let phoneReasonAt = at("phone_reason")
        let recordAt = at("record")
        let sourceIdAt = at("source_id")
        let sourceRowsAt = at("source_rows")
        let viberIdAt = at("viber_id")
        while let row = try cursor.next() {
            var contact = ViberOnlyOutput(
                contactID: row[contactIdAt], sourceFile: lineage.file(row[sourceIdAt]), line: row[lineAt],
                record: row[recordAt])
            contact.viberID = row[viberIdAt]
            contact.name = row[nameAt]
            contact.consent = row[consentAt]
            contact.consentAt = row[consentAtAt]
            contact.sourceRows = row[sourceRowsAt]
            contact.phoneReason = row[phoneReasonAt]
            try visit(contact)
        }
    }

    func forEachListEntry(_ visit: (ListEntryOutput) throws -> Void) throws {
        let (rows, at) = try db.positionedCursor(
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
        let channelAt = at("channel")
        let checkedAtAt = at("checked_at")
        let consentAt = at("consent")
        let consentAtAt = at("consent_at")
        let consentEvidenceAt = at("consent_evidence")
        let consentSourceAt = at("consent_source")
        let consentWordingVersionAt = at("consent_wording_version")
        let contactIdAt = at("contact_id")
        let e164At = at("e164")
        let listAt = at("list")
        let reasonAt = at("reason")
        let rowRecordAt = at("row_record")
        let rowSourceIdAt = at("row_source_id")
        let sourceRowsAt = at("source_rows")
        let statusAt = at("status")
        let viberIdAt = at("viber_id")
        let waIdAt = at("wa_id")
        while let row = try rows.next() {
            var entry = ListEntryOutput(list: row[listAt])
            entry.contactID = row[contactIdAt]
            entry.e164 = row[e164At]
            entry.waID = row[waIdAt]
            entry.status = row[statusAt]
            entry.checkedAt = row[checkedAtAt]
            entry.consent = row[consentAt]
            entry.channel = row[channelAt]
            entry.reason = row[reasonAt]
            entry.viberID = row[viberIdAt]
            entry.sourceRows =
                row[sourceRowsAt] ?? lineage.reference(row[rowSourceIdAt] as Int64?, row[rowRecordAt] as Int64?)
            entry.consentSource = row[consentSourceAt]
            entry.consentAt = row[consentAtAt]
            entry.consentEvidence = row[consentEvidenceAt]
            entry.consentWordingVersion = row[consentWordingVersionAt]
            try visit(entry)
        }
    }
}
