import Foundation
import GRDB
import WamigrateBase

/// A wave plan's writes, inside one transaction (`JobStore.replaceWavePlan`).
struct SQLiteWavePlanTables: WavePlanTables {
    private let db: Database
    private let wave: String
    private let insert: Statement

    init(_ db: Database, wave: String) throws {
        self.db = db
        self.wave = wave
        insert = try db.makeStatement(
            sql: """
                INSERT INTO wave_messages (wave, contact_id, e164, region, day, parameters_json, cost, state, reason,
                  idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Every contact on `list`, in contact order, with its tally under the plan's policy.
    public func forEachCandidate(list: ImportList, _ visit: (WaveCandidate) throws -> Void) throws {
        let cursor = try WaveCandidate.fetchCursor(
            db,
            sql: """
                SELECT c.id AS contact_id, c.e164, c.region, c.name, c.email, c.language, \(JobStore.tallySelect)
                FROM import_lists l JOIN contacts c ON c.id = l.contact_id
                \(JobStore.tallyJoins)
                WHERE l.list = ? ORDER BY c.seq
                """, arguments: [list])
        while let candidate = try cursor.next() { try visit(candidate) }
    }

    /// One message: `planned` on its day with its parameters, or `excluded` with the reason.
    public func addMessage(
        contactID: String, e164: String?, region: String?, day: Int?, parameters: [String]?, cost: Double?,
        reason: String?
    ) throws {
        let json = try parameters.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try insert.execute(arguments: [
            wave, contactID, e164, region, day, json, cost,
            reason == nil ? MessageState.planned : MessageState.excluded, reason,
            "wave:\(wave):\(contactID)",
        ])
    }

    public func saveWave(
        template: String, language: String, category: String, list: ImportList, tier: Int?, tierSource: String,
        settingsJSON: String, at time: Int64
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO waves (name, template, language, category, list, tier, tier_source, settings_json, planned_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [wave, template, language, category, list, tier, tierSource, settingsJSON, time])
    }
}

extension JobStore {
    /// Replaces a wave's plan in one transaction, refusing a wave that has started
    /// sending; with `dryRun` the work runs in a savepoint that is rolled back.
    public func replaceWavePlan(
        _ wave: String, policy: ConsentPolicy, dryRun: Bool, _ body: (any WavePlanTables) throws -> Void
    ) throws {
        func work(_ db: Database) throws {
            let started =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM wave_messages WHERE wave = ? AND state NOT IN (?, ?)",
                    arguments: [wave, MessageState.planned, MessageState.excluded]) ?? 0
            if started > 0 {
                throw WamigrateError(
                    .usage, "wave \(wave) has already sent \(started) messages; its plan cannot change",
                    hint: "plan a new wave under another --name")
            }
            try db.execute(sql: "DELETE FROM wave_messages WHERE wave = ?", arguments: [wave])
            try db.execute(sql: "DELETE FROM waves WHERE name = ?", arguments: [wave])
            try JobStore.buildTallyTables(db, policy: policy)
            defer { try? JobStore.dropTallyTables(db) }
            try body(SQLiteWavePlanTables(db, wave: wave))
        }
        try write(rehearsing: dryRun, work)
    }
}

extension WaveCandidate: FetchableRecord {
    /// A row of `forEachCandidate`'s query, by column name: the contact's fields (the non-empty ones, with
    /// its number and region) and the tally from `JobStore.tallySelect`'s columns.
    public init(row: Row) {
        var fields: [String: String] = [:]
        for name in ["name", "email", "language"] {
            if let value: String = row[name], !value.isEmpty { fields[name] = value }
        }
        let e164: String? = row["e164"]
        let region: String? = row["region"]
        fields["e164"] = e164
        fields["region"] = region
        self.init(contactID: row["contact_id"], e164: e164, region: region, fields: fields, tally: JobStore.contactTally(row))
    }
}
