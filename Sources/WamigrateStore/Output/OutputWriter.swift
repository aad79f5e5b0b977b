import Foundation
import GRDB
import WamigrateBase

/// Writes the pipeline's files into `--out`: contacts.csv, rejected_rows.csv,
/// viber_only.csv (summary.json is written by the pipeline).
public struct OutputWriter {
    public var directory: String
    /// How to fix a rejection, by its reason (Phone's `RejectReason.hint`).
    public var rejectionHint: (String) -> String?

    public init(directory: String, rejectionHint: @escaping (String) -> String?) {
        self.directory = OutputFolder.trimmed(directory)
        self.rejectionHint = rejectionHint
    }

    public func write(store: JobStore) throws -> WrittenOutputs {
        try OutputFolder.prepare(directory)
        return try store.read { db in
            let lineage = try Lineage(db)
            let contacts = try writeContacts(db, lineage: lineage)
            let rejected = try writeRejected(db, lineage: lineage)
            let viber = try writeViberOnly(db, lineage: lineage)
            return WrittenOutputs(
                contacts: contacts, rejected: rejected, viberOnly: viber,
                files: ["contacts.csv", "rejected_rows.csv", "viber_only.csv"].map { directory + "/" + $0 })
        }
    }

    private func writeContacts(_ db: Database, lineage: Lineage) throws -> Int {
        let writer = try CSVWriter(
            path: directory + "/contacts.csv",
            header: [
                "contact_id", "e164", "region", "number_type", "name", "email", "consent", "consent_at", "sources",
                "source_rows", "viber_id", "tags", "language", "conflict", "name_from", "email_from", "consent_from",
                "consent_rule",
            ])
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
        var count = 0
        while let row = try cursor.next() {
            count += 1
            writer.write([
                row["contact_id"], row["e164"], row["region"], row["number_type"], row["name"], row["email"],
                row["consent"], (row["consent_at"] as Int64?).map(ISOTime.string), row["sources"], row["source_rows"],
                row["viber_id"], row["tags"], row["language"], row["conflict"], from(row, "name"), from(row, "email"),
                from(row, "consent"), row["consent_rule"],
            ])
        }
        try writer.finish()
        return count
    }

    private func writeRejected(_ db: Database, lineage: Lineage) throws -> Int {
        let writer = try CSVWriter(
            path: directory + "/rejected_rows.csv",
            header: [
                "source_file", "line", "record", "raw_value", "reason", "hint", "flags",
            ])
        let cursor = try SQLRequest<Row>(
            """
            SELECT r.source_id, r.line, r.record, r.phone_raw, n.reason, n.flags
            FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id WHERE n.outcome = \(RowOutcome.rejected) ORDER BY r.id
            """
        ).fetchCursor(db)
        var count = 0
        while let row = try cursor.next() {
            count += 1
            let reason: String = row["reason"]
            writer.write([
                lineage.file(row["source_id"]), String(row["line"] as Int64), String(row["record"] as Int64),
                row["phone_raw"], reason, rejectionHint(reason), row["flags"],
            ])
        }
        try writer.finish()
        return count
    }

    private func writeViberOnly(_ db: Database, lineage: Lineage) throws -> Int {
        let writer = try CSVWriter(
            path: directory + "/viber_only.csv",
            header: [
                "contact_id", "viber_id", "source_file", "line", "record", "name", "consent", "consent_at", "source_rows",
                "phone_reason",
            ])
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.id AS contact_id, c.viber_id, r.source_id, r.line, r.record, c.name, c.consent, c.consent_at,
                       c.source_rows, n.reason AS phone_reason
                FROM contacts c JOIN input_rows r ON r.id = c.first_row JOIN normalized_rows n ON n.row_id = c.first_row
                WHERE c.e164 IS NULL ORDER BY c.first_row
                """)
        var count = 0
        while let row = try cursor.next() {
            count += 1
            writer.write([
                row["contact_id"], row["viber_id"], lineage.file(row["source_id"]), String(row["line"] as Int64),
                String(row["record"] as Int64), row["name"], row["consent"], (row["consent_at"] as Int64?).map(ISOTime.string),
                row["source_rows"], row["phone_reason"] == "empty" ? nil : row["phone_reason"],
            ])
        }
        try writer.finish()
        return count
    }
}

/// `file:record` for a row id, for the provenance columns.
