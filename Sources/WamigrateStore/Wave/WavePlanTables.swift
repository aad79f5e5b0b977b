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
                  idempotency_key, cohort, variant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Every contact on `list`, in contact order, with its tally under the plan's policy and
    /// the cohort the wave's previous plan gave them.
    public func forEachCandidate(list: ImportList, _ visit: (WaveCandidate) throws -> Void) throws {
        let (cursor, at) = try db.positionedCursor(
            sql: """
                SELECT c.id AS contact_id, c.e164, c.region, c.name, c.email, c.language, p.cohort AS previous_cohort,
                  \(JobStore.tallySelect)
                FROM import_lists l JOIN contacts c ON c.id = l.contact_id
                LEFT JOIN temp.wave_previous_cohorts p ON p.contact_id = c.id
                \(JobStore.tallyJoins)
                WHERE l.list = ? ORDER BY c.seq
                """, arguments: [list])
        let columns = WaveCandidateColumns(at)
        while let row = try cursor.next() { try visit(columns.candidate(row)) }
    }

    /// One message: `planned` on its day with its parameters, or `excluded` with the reason.
    public func addMessage(
        contactID: String, e164: String?, region: String?, day: Int?, parameters: [String]?, cost: Double?,
        reason: MessageReason?, cohort: Int, variant: String
    ) throws {
        let json = try parameters.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try insert.execute(arguments: [
            wave, contactID, e164, region, day, json, cost,
            reason == nil ? MessageState.planned : MessageState.excluded, reason,
            "wave:\(wave):\(contactID)", cohort, variant,
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
            // Who stood in which cohort: a re-plan keeps them there (the quotas fill around them).
            try db.execute(sql: "DROP TABLE IF EXISTS temp.wave_previous_cohorts")
            try db.execute(
                sql: """
                    CREATE TEMP TABLE wave_previous_cohorts (contact_id TEXT PRIMARY KEY, cohort INTEGER NOT NULL) WITHOUT ROWID;
                    INSERT OR IGNORE INTO temp.wave_previous_cohorts
                      SELECT contact_id, cohort FROM wave_messages WHERE wave = ? AND cohort IS NOT NULL
                        AND (state = ? OR reason = ?);
                    """, arguments: [wave, MessageState.planned, MessageReason.holdout.rawValue])
            defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.wave_previous_cohorts") }
            try db.execute(sql: "DELETE FROM wave_messages WHERE wave = ?", arguments: [wave])
            try db.execute(sql: "DELETE FROM waves WHERE name = ?", arguments: [wave])
            try JobStore.buildTallyTables(db, policy: policy)
            defer { try? JobStore.dropTallyTables(db) }
            try body(SQLiteWavePlanTables(db, wave: wave))
        }
        try write(rehearsing: dryRun, work)
    }
}

/// Where `forEachCandidate`'s columns stand, found by name once per query.
struct WaveCandidateColumns {
    let contactID, e164, region, previousCohort: Int
    let fields: [(name: String, at: Int)]
    let tallies: ContactTallyColumns

    init(_ at: ColumnPositions) {
        (contactID, e164, region, previousCohort) = (at("contact_id"), at("e164"), at("region"), at("previous_cohort"))
        fields = ["name", "email", "language"].map { ($0, at($0)) }
        tallies = ContactTallyColumns(at)
    }

    /// The contact's fields (the non-empty ones, with its number and region) and its tally.
    func candidate(_ row: Row) -> WaveCandidate {
        var values: [String: String] = [:]
        for field in fields {
            if let value: String = row[field.at], !value.isEmpty { values[field.name] = value }
        }
        let number: String? = row[e164]
        let place: String? = row[region]
        values["e164"] = number
        values["region"] = place
        var candidate = WaveCandidate(
            contactID: row[contactID], e164: number, region: place, fields: values, tally: tallies.tally(row))
        candidate.previousCohort = row[previousCohort]
        return candidate
    }
}
