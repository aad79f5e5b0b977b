import Foundation
import GRDB
import WamigrateBase

/// Writes out/whatsapp_ready, reconsent, unreachable, rejected and review, each as .csv
/// and .jsonl, from the split import stored. A review row's `e164` holds both candidate
/// numbers ("+39… | +36…"), its `reason` why the tool did not pick.
public struct ImportWriter {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    public static let columns = [
        "list", "contact_id", "e164", "wa_id", "status", "checked_at", "consent", "channel", "reason", "viber_id",
        "source_rows", "consent_source", "consent_at", "consent_evidence", "consent_wording_version",
    ]

    /// One ordered scan of the stored split feeds all eight files (a scan per
    /// list read the whole table four times).
    public func write(store: JobStore) throws -> [String] {
        let folder = try OutputFolder.prepare(directory)
        var writers: [String: (csv: CSVWriter, json: JSONLinesWriter)] = [:]
        var files: [String] = []
        for list in ImportList.allCases {
            let csvPath = "\(folder)/\(list.rawValue).csv"
            let jsonPath = "\(folder)/\(list.rawValue).jsonl"
            writers[list.rawValue] = (
                try CSVWriter(path: csvPath, header: Self.columns), try JSONLinesWriter(path: jsonPath, keys: Self.columns)
            )
            files += [csvPath, jsonPath]
        }
        try store.read { db in
            let lineage = try Lineage(db)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT l.list, l.contact_id, COALESCE(c.e164, n.candidates), g.wa_id, l.status, g.checked_at, COALESCE(l.consent, c.consent), l.channel, l.reason,
                           c.viber_id, c.source_rows, r.source_id, r.record, e.source, e.at, e.evidence,
                           e.wording_version
                    FROM import_lists l
                    LEFT JOIN consent_events e ON e.id = l.consent_event
                    LEFT JOIN contacts c ON c.id = l.contact_id
                    LEFT JOIN registrations g ON g.e164 = c.e164
                    LEFT JOIN input_rows r ON r.id = l.row_id
                    LEFT JOIN normalized_rows n ON n.row_id = l.row_id AND l.list = 'review'
                    ORDER BY l.rowid
                    """)
            while let row = try rows.next() {
                guard let writer = writers[row[0]] else { continue }
                let checked = (row[5] as Int64?).map { ISOTime.string($0) }
                let lineage: String? =
                    row[10] ?? lineage.reference(row[11] as Int64?, row[12] as Int64?)
                let values: [String?] = [
                    row[0], row[1], row[2], row[3], row[4], checked, row[6], row[7], row[8], row[9], lineage,
                    row[13], (row[14] as Int64?).map { ISOTime.string($0) }, row[15], row[16],
                ]
                writer.csv.write(values)
                writer.json.write(values)
            }
        }
        for list in ImportList.allCases {
            try writers[list.rawValue]?.csv.finish()
            try writers[list.rawValue]?.json.finish()
        }
        return files
    }
}
