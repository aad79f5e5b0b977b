import Foundation
import GRDB
import WamigrateBase

/// Extract's writes, inside its one transaction (`JobStore.replaceInputs`).
struct SQLiteInputTables: InputTables {
    private let db: Database
    private let insertRow: Statement

    init(_ db: Database) throws {
        self.db = db
        insertRow = try db.makeBulkStatement(
            sql: """
                INSERT INTO input_rows (id, source_id, line, record, phone_raw, name, email, country_raw, consent,
                  consent_raw, consent_at, seen_at, viber_id, tags, language, flags)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// One input row, as read (ids are consecutive per job, records per source).
    public func addRow(
        id: Int64, sourceID: Int64, line: Int, record: Int, phone: String, name: String?, email: String?,
        country: String?, consent: ConsentState, consentRaw: String?, consentAt: Int64?, seenAt: Int64?,
        viberID: String?, tags: String?, language: String?, flags: String?
    ) throws {
        var bulk = BulkStatement(insertRow)
        bulk.bind(id)
        bulk.bind(sourceID)
        bulk.bind(line)
        bulk.bind(record)
        bulk.bind(phone)
        bulk.bind(name)
        bulk.bind(email)
        bulk.bind(country)
        bulk.bind(consent.rawValue)
        bulk.bind(consentRaw)
        bulk.bind(consentAt)
        bulk.bind(seenAt)
        bulk.bind(viberID)
        bulk.bind(tags)
        bulk.bind(language)
        bulk.bind(flags)
        try bulk.step()
    }

    /// The source a file's rows came from, once its rows are in.
    public func addSource(
        id: Int64, position: Int, path: String, name: String, size: Int64, sha256: String, encoding: String,
        delimiter: String, profile: String, profileJSON: String, columnsJSON: String, channel: Channel?,
        defaultRegion: String?, priority: Int, rows: Int, blankLines: Int, phoneSciDigits: Int
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO sources (id, position, path, name, size, sha256, encoding, delimiter, profile, profile_json,
                  columns_json, channel, default_region, priority, rows, blank_lines, phone_sci_digits)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, position, path, name, size, sha256, encoding, delimiter, profile, profileJSON, columnsJSON, channel,
                defaultRegion, priority, rows, blankLines, phoneSciDigits,
            ])
    }
}

/// Normalize's reads and writes, inside its one transaction (`JobStore.replaceNormalized`).
struct SQLiteNormalizedTables: NormalizedTables {
    private let db: Database
    private let select: Statement
    private let insert: Statement

    init(_ db: Database) throws {
        self.db = db
        select = try db.makeStatement(
            sql: """
                SELECT id, source_id, phone_raw AS phone, country_raw AS country, viber_id FROM input_rows
                WHERE id > ? ORDER BY id LIMIT ?
                """)
        insert = try db.makeBulkStatement(
            sql: """
                INSERT INTO normalized_rows (row_id, outcome, e164, region, region_source, number_type, extension,
                  extra_numbers, flags, reason, candidates) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    public func sources() throws -> [SourceSettings] {
        try JobStore.sourceSettings(db)
    }

    public func inputCount() throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM input_rows") ?? 0 }

    /// The next `limit` rows after row `id`, in row order.
    public func cells(after id: Int64, limit: Int) throws -> [PhoneCell] {
        let at = ColumnPositions(select)
        let (idAt, sourceAt, phoneAt, countryAt, viberAt) = (
            at("id"), at("source_id"), at("phone"), at("country"), at("viber_id")
        )
        return try Row.fetchAll(select, arguments: [id, limit]).map {
            PhoneCell(id: $0[idAt], sourceID: $0[sourceAt], phone: $0[phoneAt], country: $0[countryAt], viberID: $0[viberAt])
        }
    }

    public func add(
        rowID: Int64, outcome: RowOutcome, e164: String?, region: String?, regionSource: String?, numberType: String?,
        phoneExtension: String?, extraNumbers: String?, flags: String?, reason: String?, candidates: String?
    ) throws {
        var bulk = BulkStatement(insert)
        bulk.bind(rowID)
        bulk.bind(outcome.rawValue)
        bulk.bind(e164)
        bulk.bind(region)
        bulk.bind(regionSource)
        bulk.bind(numberType)
        bulk.bind(phoneExtension)
        bulk.bind(extraNumbers)
        bulk.bind(flags)
        bulk.bind(reason)
        bulk.bind(candidates)
        try bulk.step()
    }
}

extension JobStore {
    /// Every source's settings, for normalize and the reference check.
    public func sourceSettings() throws -> [SourceSettings] { try read { try Self.sourceSettings($0) } }

    static func sourceSettings(_ db: Database) throws -> [SourceSettings] {
        try SourceSettings.fetchAll(db, sql: "SELECT id, default_region, profile_json, phone_sci_digits FROM sources")
    }

    /// Extract's results replaced in one transaction: this and every later stage's
    /// tables cleared, `body` writes the rows and sources, the stage recorded.
    public func replaceInputs<R: Encodable>(
        context: StageContext, counts: (R) -> (rowsIn: Int, rowsOut: Int), _ body: (any InputTables) throws -> R
    ) throws -> R {
        try write { db in
            try JobStore.clear(from: .extract, in: db)
            let report = try body(SQLiteInputTables(db))
            let (rowsIn, rowsOut) = counts(report)
            try context.complete(.extract, rowsIn: rowsIn, rowsOut: rowsOut, details: report, in: db)
            return report
        }
    }

    /// Normalize's results replaced in one transaction, the same way.
    public func replaceNormalized<R: Encodable>(
        context: StageContext, counts: (R) -> (rowsIn: Int, rowsOut: Int), _ body: (any NormalizedTables) throws -> R
    ) throws -> R {
        try write { db in
            try JobStore.clear(from: .normalize, in: db)
            let report = try body(SQLiteNormalizedTables(db))
            let (rowsIn, rowsOut) = counts(report)
            try context.complete(.normalize, rowsIn: rowsIn, rowsOut: rowsOut, details: report, in: db)
            return report
        }
    }
}

extension PhoneCell: FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.storeColumns
}

extension SourceSettings: FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.storeColumns
}
