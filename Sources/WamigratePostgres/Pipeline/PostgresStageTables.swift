import Foundation
import WamigrateBase
import WamigrateModel

/// Extract's writes on PostgreSQL: the rows through one COPY, the sources (which arrive
/// between files, while the copy is open) inserted once it ends.
final class PostgresInputTables: InputTables {
    private let connection: PostgresConnection
    private let rows: PostgresCopy
    private var sources: [[any PostgresBindable]] = []

    init(_ connection: PostgresConnection) throws {
        self.connection = connection
        rows = try connection.startCopy(
            into: "input_rows",
            columns: [
                "id", "source_id", "line", "record", "phone_raw", "name", "email", "country_raw", "consent", "consent_raw",
                "consent_at", "seen_at", "viber_id", "tags", "language", "flags",
            ])
    }

    func addRow(
        id: Int64, sourceID: Int64, line: Int, record: Int, phone: String, name: String?, email: String?,
        country: String?, consent: ConsentState, consentRaw: String?, consentAt: Int64?, seenAt: Int64?,
        viberID: String?, tags: String?, language: String?, flags: String?
    ) throws {
        for value in [
            id, sourceID, line, record, phone, name, email, country, consent, consentRaw, consentAt, seenAt, viberID, tags,
            language, flags,
        ] as [(any PostgresBindable)?] {
            try rows.add(value)
        }
    }

    func addSource(
        id: Int64, position: Int, path: String, name: String, size: Int64, sha256: String, encoding: String,
        delimiter: String, profile: String, profileJSON: String, columnsJSON: String, channel: Channel?,
        defaultRegion: String?, priority: Int, rows: Int, blankLines: Int, phoneSciDigits: Int
    ) throws {
        sources.append([
            id, position, path, name, size, sha256, encoding, delimiter, profile, profileJSON, columnsJSON, channel,
            defaultRegion, priority, rows, blankLines, phoneSciDigits,
        ])
    }

    /// Ends the copy and writes the sources.
    func finish() throws {
        try rows.finish()
        for source in sources {
            try connection.execute(
                """
                INSERT INTO sources (id, position, path, name, size, sha256, encoding, delimiter, profile, profile_json,
                  columns_json, channel, default_region, priority, rows, blank_lines, phone_sci_digits)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                """, source)
        }
    }
}

/// Normalize's reads and writes on PostgreSQL, inside the stage's transaction: rows read by
/// id range, results copied in (the reads go first: the copy holds the connection, so the
/// results of a batch are copied once the next batch is read — see `add`).
final class PostgresNormalizedTables: NormalizedTables {
    private let connection: PostgresConnection
    private var pending: [[(any PostgresBindable)?]] = []

    init(_ connection: PostgresConnection) { self.connection = connection }

    func sources() throws -> [SourceSettings] { try PostgresJobStore.sourceSettings(connection) }

    func inputCount() throws -> Int { try connection.execute("SELECT COUNT(*) FROM input_rows").scalarInt ?? 0 }

    func cells(after id: Int64, limit: Int) throws -> [PhoneCell] {
        try flush()
        return try PostgresJobStore.cells(
            connection, where: "id > $1 ORDER BY id LIMIT $2", [id, limit])
    }

    func add(
        rowID: Int64, outcome: RowOutcome, e164: String?, region: String?, regionSource: String?, numberType: String?,
        phoneExtension: String?, extraNumbers: String?, flags: String?, reason: String?, candidates: String?
    ) throws {
        pending.append([
            rowID, outcome, e164, region, regionSource, numberType, phoneExtension, extraNumbers, flags, reason, candidates,
        ])
    }

    /// Copies the results added since the last read.
    func flush() throws {
        guard !pending.isEmpty else { return }
        try PostgresJobStore.copyNormalized(pending, connection)
        pending.removeAll(keepingCapacity: true)
    }
}

extension PostgresJobStore {
    static let normalizedColumns = [
        "row_id", "outcome", "e164", "region", "region_source", "number_type", "extension", "extra_numbers", "flags",
        "reason", "candidates",
    ]

    static func copyNormalized(_ rows: [[(any PostgresBindable)?]], _ connection: PostgresConnection) throws {
        let copy = try connection.startCopy(into: "normalized_rows", columns: normalizedColumns)
        for row in rows { for value in row { try copy.add(value) } }
        try copy.finish()
    }

    /// Input rows' phone cells, as normalize reads them.
    static func cells(_ connection: PostgresConnection, where clause: String, _ values: [any PostgresBindable]) throws
        -> [PhoneCell]
    {
        let rows = try connection.execute(
            "SELECT id, source_id, phone_raw, country_raw, viber_id FROM input_rows WHERE \(clause)", values)
        let (id, source, phone, country, viber) = (
            rows.column("id"), rows.column("source_id"), rows.column("phone_raw"), rows.column("country_raw"),
            rows.column("viber_id")
        )
        return (0..<rows.count).map {
            PhoneCell(
                id: rows.int64($0, id) ?? 0, sourceID: rows.int64($0, source) ?? 0, phone: rows.string($0, phone) ?? "",
                country: rows.string($0, country), viberID: rows.string($0, viber))
        }
    }

    /// Fresh statistics for tables a stage just loaded, before the next stage plans its joins
    /// and sorts over them (the server's own analyze may come minutes later; without it the
    /// planner takes a million rows for a few).
    func analyze(_ tables: String...) throws {
        for table in tables { try connection.run("ANALYZE \(table)") }
    }

    public func replaceInputs<R: Encodable>(
        context: StageContext, counts: (R) -> (rowsIn: Int, rowsOut: Int), _ body: (any InputTables) throws -> R
    ) throws -> R {
        try write {
            try clear(from: .extract)
            let tables = try PostgresInputTables(connection)
            let report = try body(tables)
            try tables.finish()
            try analyze("input_rows", "sources")
            let (rowsIn, rowsOut) = counts(report)
            try complete(.extract, context: context, rowsIn: rowsIn, rowsOut: rowsOut, details: report)
            return report
        }
    }

    public func replaceNormalized<R: Encodable>(
        context: StageContext, counts: (R) -> (rowsIn: Int, rowsOut: Int), _ body: (any NormalizedTables) throws -> R
    ) throws -> R {
        try write {
            try clear(from: .normalize)
            let tables = PostgresNormalizedTables(connection)
            let report = try body(tables)
            try tables.flush()
            try analyze("normalized_rows")
            let (rowsIn, rowsOut) = counts(report)
            try complete(.normalize, context: context, rowsIn: rowsIn, rowsOut: rowsOut, details: report)
            return report
        }
    }
}
