import Foundation
import GRDB
import WamigrateBase

/// Writes out/whatsapp_ready, reconsent, unreachable, rejected and review, each as .csv
/// and .jsonl, from the split import stored. A review row's `e164` holds both candidate
/// numbers ("+39… | +36…"), its `reason` why the tool did not pick.
public struct ImportWriter {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// Each output column, the SQL expression it is selected from (`AS` the column's name) and how its value is shown.
    private static let selected: [(column: String, sql: String, shown: Shown)] = [
        ("list", "l.list", .text), ("contact_id", "l.contact_id", .text), ("e164", "COALESCE(c.e164, n.candidates)", .text),
        ("wa_id", "g.wa_id", .text), ("status", "l.status", .text), ("checked_at", "g.checked_at", .time),
        ("consent", "COALESCE(l.consent, c.consent)", .text), ("channel", "l.channel", .text),
        ("reason", "l.reason", .text), ("viber_id", "c.viber_id", .text), ("source_rows", "c.source_rows", .lineage),
        ("consent_source", "e.source", .text), ("consent_at", "e.at", .time), ("consent_evidence", "e.evidence", .text),
        ("consent_wording_version", "e.wording_version", .text),
    ]

    /// How a selected column becomes a cell: as stored, a Unix time as ISO text, or the contact's
    /// `source_rows` (else the row's own `file:record`).
    private enum Shown { case text, time, lineage }

    public static let columns = selected.map(\.column)

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
                    SELECT \(Self.selected.map { "\($0.sql) AS \($0.column)" }.joined(separator: ", ")),
                           r.source_id AS row_source_id, r.record AS row_record
                    FROM import_lists l
                    LEFT JOIN consent_events e ON e.id = l.consent_event
                    LEFT JOIN contacts c ON c.id = l.contact_id
                    LEFT JOIN registrations g ON g.e164 = c.e164
                    LEFT JOIN input_rows r ON r.id = l.row_id
                    LEFT JOIN normalized_rows n ON n.row_id = l.row_id AND l.list = 'review'
                    ORDER BY l.rowid
                    """)
            while let row = try rows.next() {
                guard let writer = writers[row["list"]] else { continue }
                let values: [String?] = Self.selected.map { column in
                    switch column.shown {
                    case .text: row[column.column]
                    case .time: (row[column.column] as Int64?).map { ISOTime.string($0) }
                    case .lineage:
                        row[column.column]
                            ?? lineage.reference(row["row_source_id"] as Int64?, row["row_record"] as Int64?)
                    }
                }
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
