import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

/// The ordered scans the output files are written from, inside one read transaction;
/// provenance (`file:record`) is resolved here, everything shown is decided in Core.
struct SQLiteOutputRows: OutputRows {
    /// The scans' SQL, shared with every engine: SQLite orders text byte by byte already.
    static let queries = PipelineQueries(byteOrder: "", listOrder: "rowid")

    let db: Database
    let lineage: Lineage

    init(_ db: Database) throws {
        self.db = db
        lineage = try Lineage(db)
    }

    func forEachContact(_ visit: (ContactOutput) throws -> Void) throws {
        // The rows each field came from, joined here (a point query per field per
        // contact through GRDB cost more than the rest of the file).
        let (cursor, at) = try db.positionedCursor(sql: Self.queries.contacts)
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
        let (cursor, at) = try db.positionedCursor(sql: Self.queries.rejected)
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
        let (cursor, at) = try db.positionedCursor(sql: Self.queries.viberOnly)
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
        let (rows, at) = try db.positionedCursor(sql: Self.queries.listEntries)
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
