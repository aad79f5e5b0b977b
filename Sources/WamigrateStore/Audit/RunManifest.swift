import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

extension RunManifest {
    /// The manifest of `run` as the store holds it now.
    static func capture(_ db: Database, run: Int64) throws -> RunManifest? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT command, dry_run, status, started_at, finished_at, tool_version, phonenumber_library,
                      phonenumber_package, phonenumber_metadata, config_json FROM runs WHERE id = ?
                    """, arguments: [run])
        else { return nil }
        var inputs: [Input] = []
        var profiles: [String: JSONValue] = [:]
        for source in try Row.fetchAll(db, sql: "SELECT * FROM sources ORDER BY position") {
            let path: String = source["path"]
            inputs.append(
                Input(
                    name: source["name"], path: path, size: source["size"], sha256: source["sha256"],
                    encoding: source["encoding"], delimiter: source["delimiter"], profile: source["profile"],
                    channel: source["channel"], records: source["rows"]))
            profiles[source["profile"]] = JSONValue.parse(source["profile_json"]).withoutSecrets
        }
        var stages: [StageTime] = []
        for stage in Stage.allCases {
            guard
                let done = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT run_id, started_at, finished_at, rows_in, rows_out FROM stage_runs
                        WHERE stage = ? AND run_id <= ? ORDER BY id DESC LIMIT 1
                        """, arguments: [stage.rawValue, run])
            else { continue }
            let by: Int64 = done["run_id"]
            stages.append(
                StageTime(
                    stage: stage.rawValue, runID: by, skipped: by != run, startedAt: done["started_at"],
                    finishedAt: done["finished_at"], rowsIn: done["rows_in"], rowsOut: done["rows_out"]))
        }
        return RunManifest(
            runID: run,
            command: (row["command"] as String).split(separator: " ").map { JSONValue.withoutCredentials(String($0)) }
                .joined(separator: " "),
            dryRun: row["dry_run"], status: row["status"], startedAt: row["started_at"], finishedAt: row["finished_at"],
            tool: Tool(version: row["tool_version"], gitRevision: ToolVersion.revision),
            phonenumber: PhoneLibrary(
                library: row["phonenumber_library"], package: row["phonenumber_package"] ?? "unknown",
                metadataFingerprint: row["phonenumber_metadata"]),
            inputs: inputs, configuration: JSONValue.parse(row["config_json"]).withoutSecrets, profiles: profiles,
            stages: stages,
            books: try Books.compute(db))
    }

    /// Stores the manifest of `run` (once the run has finished).
    static func record(_ db: Database, run: Int64) throws {
        guard let manifest = try capture(db, run: run) else { return }
        let json = String(decoding: try JSONEncoder.sorted.encode(manifest), as: UTF8.self)
        try db.execute(
            sql: "INSERT OR REPLACE INTO run_manifests (run_id, manifest_json) VALUES (?, ?)", arguments: [run, json])
    }

    /// The stored manifest of `run`.
    static func load(_ db: Database, run: Int64) throws -> RunManifest? {
        guard
            let json = try String.fetchOne(db, sql: "SELECT manifest_json FROM run_manifests WHERE run_id = ?", arguments: [run])
        else { return nil }
        return try JSONDecoder().decode(RunManifest.self, from: Data(json.utf8))
    }
}
