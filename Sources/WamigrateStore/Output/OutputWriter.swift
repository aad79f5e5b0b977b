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
                SELECT c.id, c.e164, c.region, c.number_type, c.name, c.email, c.consent, c.consent_at, c.sources, c.source_rows,
                       c.viber_id, c.tags, c.language, c.conflict, n.source_id, n.record, e.source_id, e.record,
                       k.source_id, k.record, c.consent_rule
                FROM contacts c
                LEFT JOIN input_rows n ON n.id = c.name_row
                LEFT JOIN input_rows e ON e.id = c.email_row
                LEFT JOIN input_rows k ON k.id = c.consent_row
                WHERE c.e164 IS NOT NULL ORDER BY c.e164
                """)
        func from(_ row: Row, _ index: Int) -> String? { lineage.reference(row[index] as Int64?, row[index + 1] as Int64?) }
        var count = 0
        while let row = try cursor.next() {
            count += 1
            writer.write([
                row[0], row[1], row[2], row[3], row[4], row[5], row[6], (row[7] as Int64?).map(ISOTime.string), row[8], row[9],
                row[10], row[11], row[12], row[13], from(row, 14), from(row, 16), from(row, 18), row[20],
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
            let reason: String = row[4]
            writer.write([
                lineage.file(row[0]), String(row[1] as Int64), String(row[2] as Int64), row[3], reason,
                rejectionHint(reason), row[5],
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
                SELECT c.id, c.viber_id, r.source_id, r.line, r.record, c.name, c.consent, c.consent_at, c.source_rows, n.reason
                FROM contacts c JOIN input_rows r ON r.id = c.first_row JOIN normalized_rows n ON n.row_id = c.first_row
                WHERE c.e164 IS NULL ORDER BY c.first_row
                """)
        var count = 0
        while let row = try cursor.next() {
            count += 1
            writer.write([
                row[0], row[1], lineage.file(row[2]), String(row[3] as Int64), String(row[4] as Int64), row[5], row[6],
                (row[7] as Int64?).map(ISOTime.string), row[8], row[9] == "empty" ? nil : row[9],
            ])
        }
        try writer.finish()
        return count
    }
}

/// `file:record` for a row id, for the provenance columns.
