import Foundation
import WamigrateBase
import WamigrateModel

/// A wave plan's writes on PostgreSQL, inside `replaceWavePlan`'s transaction: messages go
/// through COPY, sent when the plan is written.
final class PostgresWavePlanTables: WavePlanTables {
    private let store: PostgresJobStore
    private let wave: String
    private var pending: [[(any PostgresBindable)?]] = []

    init(_ store: PostgresJobStore, wave: String) {
        self.store = store
        self.wave = wave
    }

    /// Every contact on `list`, in contact order, with its tally under the plan's policy and the
    /// cohort the wave's previous plan gave them.
    func forEachCandidate(list: ImportList, _ visit: (WaveCandidate) throws -> Void) throws {
        try store.connection.forEachBatch(
            """
            SELECT c.id AS contact_id, c.e164, c.region, c.name, c.email, c.language, p.cohort AS previous_cohort,
              \(PostgresJobStore.tallySelect)
            FROM import_lists l JOIN contacts c ON c.id = l.contact_id
            LEFT JOIN wave_previous_cohorts p ON p.contact_id = c.id
            \(PostgresJobStore.tallyJoins)
            WHERE l.list = $1 ORDER BY c.seq
            """, [list], size: 5_000
        ) { rows in
            let (id, e164, region, previous) = (
                rows.column("contact_id"), rows.column("e164"), rows.column("region"), rows.column("previous_cohort")
            )
            let fields = ["name", "email", "language"].map { ($0, rows.column($0)) }
            let tallies = ConsentTally.contactPositions(rows)
            for index in 0..<rows.count {
                var values: [String: String] = [:]
                for (name, at) in fields {
                    if let value = rows.string(index, at), !value.isEmpty { values[name] = value }
                }
                let number = rows.string(index, e164)
                let place = rows.string(index, region)
                values["e164"] = number
                values["region"] = place
                var candidate = WaveCandidate(
                    contactID: rows.string(index, id) ?? "", e164: number, region: place, fields: values,
                    tally: ConsentTally(contactRow: rows, index, at: tallies))
                candidate.previousCohort = rows.int(index, previous)
                try visit(candidate)
            }
        }
    }

    func addMessage(
        contactID: String, e164: String?, region: String?, day: Int?, parameters: [String]?, cost: Double?,
        reason: MessageReason?, cohort: Int, variant: String
    ) throws {
        let json = try parameters.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        pending.append([
            wave, contactID, e164, region, day, json, cost,
            (reason == nil ? MessageState.planned : MessageState.excluded).rawValue, reason?.rawValue,
            "wave:\(wave):\(contactID)", cohort, variant,
        ])
        if pending.count >= 10_000 { try flush() }
    }

    func saveWave(
        template: String, language: String, category: String, list: ImportList, tier: Int?, tierSource: String,
        settingsJSON: String, at time: Int64
    ) throws {
        try flush()
        try store.connection.execute(
            """
            INSERT INTO waves (name, template, language, category, list, tier, tier_source, settings_json, planned_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [wave, template, language, category, list, tier, tierSource, settingsJSON, time])
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        let copy = try store.connection.startCopy(
            into: "wave_messages",
            columns: [
                "wave", "contact_id", "e164", "region", "day", "parameters_json", "cost", "state", "reason",
                "idempotency_key", "cohort", "variant",
            ])
        for row in pending { for value in row { try copy.add(value) } }
        try copy.finish()
        pending.removeAll(keepingCapacity: true)
    }
}

extension PostgresJobStore {
    /// Replaces a wave's plan in one transaction, refusing a wave that has started sending (the
    /// send log is locked against senders first, so none can start between the check and the
    /// plan); with `dryRun` the work is rolled back.
    public func replaceWavePlan(
        _ wave: String, policy: ConsentPolicy, dryRun: Bool, _ body: (any WavePlanTables) throws -> Void
    ) throws {
        try write(rehearsing: dryRun) {
            // Senders mark messages `sending` without the writer lock: hold them off (and wait for
            // those in flight) until the plan is replaced, so none goes out between check and delete.
            try connection.run("LOCK TABLE wave_messages IN SHARE ROW EXCLUSIVE MODE")
            let started =
                try connection.execute(
                    "SELECT count(*) FROM wave_messages WHERE wave = $1 AND state NOT IN ($2, $3)",
                    [wave, MessageState.planned, MessageState.excluded]
                ).scalarInt ?? 0
            if started > 0 {
                throw WamigrateError(
                    .usage, "wave \(wave) has already sent \(started) messages; its plan cannot change",
                    hint: "plan a new wave under another --name")
            }
            // Who stood in which cohort: a re-plan keeps them there (the quotas fill around them).
            try connection.execute(
                """
                CREATE TEMP TABLE wave_previous_cohorts ON COMMIT DROP AS
                  SELECT DISTINCT ON (contact_id) contact_id, cohort FROM wave_messages
                  WHERE wave = $1 AND cohort IS NOT NULL AND (state = $2 OR reason = $3) ORDER BY contact_id, id
                """, [wave, MessageState.planned, MessageReason.holdout.rawValue])
            try connection.run("CREATE UNIQUE INDEX ON wave_previous_cohorts(contact_id)")
            try connection.execute("DELETE FROM wave_messages WHERE wave = $1", [wave])
            try connection.execute("DELETE FROM waves WHERE name = $1", [wave])
            try buildTallyTables(policy: policy)
            let tables = PostgresWavePlanTables(self, wave: wave)
            try body(tables)
            try tables.flush()
            try analyze("wave_messages")
        }
    }

    /// Runs `body` in one transaction, rolled back instead of committed when `rehearsing`.
    func write<T>(rehearsing: Bool, _ body: () throws -> T) throws -> T {
        guard rehearsing else { return try write(body) }
        do {
            try connection.run("BEGIN")
            defer { try? connection.run("ROLLBACK") }
            return try body()
        } catch {
            throw Self.storeError(error, "job store write failed", address: address, hint: "see the message")
        }
    }
}
