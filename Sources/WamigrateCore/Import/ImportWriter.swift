import Foundation
import GRDB

/// Writes out/whatsapp_ready, reconsent, unreachable and rejected, each as .csv
/// and .jsonl, from the split import stored.
struct ImportWriter {
    var directory: String

    static let columns = [
        "list", "contact_id", "e164", "wa_id", "status", "checked_at", "consent", "channel", "reason", "viber_id",
        "source_rows", "consent_source", "consent_at", "consent_evidence", "consent_wording_version",
    ]

    func write(store: JobStore) throws -> [String] {
        let folder = try OutputFolder.prepare(directory)
        var files: [String] = []
        try store.read { db in
            let sourceFiles = try SourceFiles.load(db)
            for list in ImportList.allCases {
                let csvPath = "\(folder)/\(list.rawValue).csv"
                let jsonPath = "\(folder)/\(list.rawValue).jsonl"
                let csv = try CSVWriter(path: csvPath, header: Self.columns)
                let json = try JSONLinesWriter(path: jsonPath, keys: Self.columns)
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT l.list, l.contact_id, c.e164, g.wa_id, l.status, g.checked_at, COALESCE(l.consent, c.consent), l.channel, l.reason,
                               c.viber_id, c.source_rows, r.source_id, r.record, e.source, e.at, e.evidence,
                               e.wording_version
                        FROM import_lists l
                        LEFT JOIN consent_events e ON e.id = l.consent_event
                        LEFT JOIN contacts c ON c.id = l.contact_id
                        LEFT JOIN registrations g ON g.e164 = c.e164
                        LEFT JOIN input_rows r ON r.id = l.row_id
                        WHERE l.list = ? ORDER BY l.rowid
                        """, arguments: [list.rawValue])
                while let row = try rows.next() {
                    let checked = (row[5] as Int64?).map { DateParser.iso($0) }
                    let lineage: String? =
                        row[10] ?? (row[11] as Int64?).map { "\(sourceFiles[$0] ?? "?"):\(row[12] as Int64? ?? 0)" }
                    let values: [String?] = [
                        row[0], row[1], row[2], row[3], row[4], checked, row[6], row[7], row[8], row[9], lineage,
                        row[13], (row[14] as Int64?).map { DateParser.iso($0) }, row[15], row[16],
                    ]
                    csv.write(values)
                    json.write(values)
                }
                try csv.finish()
                try json.finish()
                files += [csvPath, jsonPath]
            }
        }
        return files
    }
}
