import Foundation
import WamigrateBase
import WamigrateModel

/// Runs and stage records, as the SQLite store keeps them (`JobStore.swift`).
extension PostgresJobStore {
    public var path: String { address.description }

    public func beginRun(
        command: String, dryRun: Bool, configJSON: String, phoneLibrary: String, phonePackage: String,
        phoneMetadata: String
    ) throws -> Int64 {
        try write {
            let row = try connection.execute(
                """
                INSERT INTO runs (command, started_at, status, dry_run, tool_version, phonenumber_library,
                  phonenumber_package, phonenumber_metadata, config_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                RETURNING id
                """,
                [
                    PostgresAddress.redactingPasswords(in: command), Clock.isoNow(), RunStatus.running, dryRun,
                    ToolVersion.current, phoneLibrary, phonePackage, phoneMetadata, configJSON,
                ])
            return row.int64(0, 0) ?? 0
        }
    }

    /// Ends a run in one transaction with its audit (`recordAudit`): the manifest, and when the
    /// run succeeded and dedupe has run, every contact's state for a later diff. A kill before
    /// the commit leaves the run `running` (marked failed by the next writer).
    public func finishRun(_ id: Int64, ok: Bool, audit: Bool) throws {
        try write {
            if audit { try recordAudit(run: id, ok: ok) }
            try connection.execute(
                "UPDATE runs SET finished_at = $1, status = $2 WHERE id = $3",
                [Clock.isoNow(), ok ? RunStatus.ok : RunStatus.failed, id])
        }
    }

    public func hasResults(from stage: Stage) throws -> Bool {
        try read {
            let names = stage.andLater.map(\.quoted).joined(separator: ",")
            return try connection.execute("SELECT COUNT(*) FROM stage_runs WHERE stage IN (\(names))").scalarInt ?? 0 > 0
        }
    }

    public func lastReport<R: Decodable>(_ stage: Stage, as type: R.Type) throws -> R? {
        let json = try read {
            try connection.execute(
                "SELECT details_json FROM stage_runs WHERE stage = $1 ORDER BY id DESC LIMIT 1", [stage]
            ).scalarString
        }
        return json.flatMap { try? JSONDecoder().decode(R.self, from: Data($0.utf8)) }
    }

    public func completedFingerprint(_ stage: Stage) throws -> String? {
        try read {
            try connection.execute(
                "SELECT fingerprint FROM stage_runs WHERE stage = $1 ORDER BY id DESC LIMIT 1", [stage]
            ).scalarString
        }
    }

    public func rememberedDefaultRegion() throws -> String? {
        try read { try connection.execute("SELECT default_region FROM job WHERE id = 1").scalarString }
    }

    public func rememberDefaultRegion(_ region: String) throws {
        try write { try connection.execute("UPDATE job SET default_region = $1 WHERE id = 1", [region]) }
    }

    public func sourceSettings() throws -> [SourceSettings] { try read { try Self.sourceSettings(connection) } }

    static func sourceSettings(_ connection: PostgresConnection) throws -> [SourceSettings] {
        let rows = try connection.execute(
            "SELECT id, default_region, profile_json, phone_sci_digits FROM sources ORDER BY id")
        let (id, region, profile, digits) = (
            rows.column("id"), rows.column("default_region"), rows.column("profile_json"), rows.column("phone_sci_digits")
        )
        return (0..<rows.count).map {
            SourceSettings(
                id: rows.int64($0, id) ?? 0, defaultRegion: rows.string($0, region),
                profileJSON: rows.string($0, profile) ?? "{}", phoneSciDigits: rows.int($0, digits) ?? 0)
        }
    }

    /// Deletes the results of `stage` and every later stage (inside the caller's transaction).
    /// DELETE, not TRUNCATE: readers keep reading the old results until the commit.
    func clear(from stage: Stage) throws {
        // A worker may be writing a batch of the plan being replaced: wait for it to commit
        // (its claim holds a row lock) before its rows are deleted, or they would survive.
        if stage <= .normalize { try connection.run("LOCK TABLE normalize_batches IN EXCLUSIVE MODE") }
        if stage <= .dedupe { try connection.run("LOCK TABLE dedupe_partitions IN EXCLUSIVE MODE") }
        for later in stage.andLater.reversed() {
            for table in later.ownedTables + Self.engineTables(later) { try connection.execute("DELETE FROM \(table)") }
            // Emptied at once: only a worker holding a partition (waited for above) reads them.
            for table in Self.engineBulkTables(later) { try connection.run("TRUNCATE \(table)") }
            try connection.execute("DELETE FROM stage_runs WHERE stage = $1", [later])
        }
    }

    /// Tables only this engine has, owned by a stage: normalize's batches and dedupe's
    /// partitions, for their workers.
    static func engineTables(_ stage: Stage) -> [String] {
        switch stage {
        case .normalize: ["normalize_batches", "normalize_plan"]
        case .dedupe: ["dedupe_partitions", "dedupe_plan"]
        default: []
        }
    }

    /// Dedupe's numbered keys and staged consent cells: a row per input row each.
    static func engineBulkTables(_ stage: Stage) -> [String] {
        stage == .dedupe ? ["dedupe_keys", "dedupe_consent"] : []
    }

    /// Marks the stage complete inside the transaction that wrote its results.
    func complete(
        _ stage: Stage, context: StageContext, rowsIn: Int, rowsOut: Int, details: some Encodable
    ) throws {
        let json = String(decoding: try JSONEncoder.sorted.encode(details), as: UTF8.self)
        try connection.execute(
            """
            INSERT INTO stage_runs (run_id, stage, started_at, finished_at, fingerprint, rows_in, rows_out, details_json)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [context.runID, stage, context.started, Clock.isoNow(), context.fingerprint, rowsIn, rowsOut, json])
    }
}
