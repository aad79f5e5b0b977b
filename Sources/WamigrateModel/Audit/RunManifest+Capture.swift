import Foundation
import WamigrateBase

/// The manifest read the same way on every engine (`AuditSQLReader`); the books are counted
/// by the engine's own queries and passed in.
extension RunManifest {
    /// The manifest of `run` as the store holds it now; nil for an unknown run.
    public static func capture(from db: some AuditSQLReader, run: Int64, books: Books) throws -> RunManifest? {
        guard
            let row = try db.row(
                """
                SELECT command, dry_run, status, started_at, finished_at, tool_version, phonenumber_library,
                  phonenumber_package, phonenumber_metadata, config_json FROM runs WHERE id = ?
                """, [.integer(run)])
        else { return nil }
        var inputs: [Input] = []
        var profiles: [String: JSONValue] = [:]
        for source in try db.rows("SELECT * FROM sources ORDER BY position", []) {
            let profile = source.text("profile") ?? ""
            inputs.append(
                Input(
                    name: source.text("name") ?? "", path: source.text("path") ?? "", size: source.integer("size") ?? 0,
                    sha256: source.text("sha256") ?? "", encoding: source.text("encoding") ?? "",
                    delimiter: source.text("delimiter") ?? "", profile: profile, channel: source.text("channel") ?? "",
                    records: source.int("rows") ?? 0))
            profiles[profile] = JSONValue.parse(source.text("profile_json") ?? "").withoutSecrets
        }
        var stages: [StageTime] = []
        for stage in Stage.allCases {
            guard
                let done = try db.row(
                    """
                    SELECT run_id, started_at, finished_at, rows_in, rows_out FROM stage_runs
                    WHERE stage = ? AND run_id <= ? ORDER BY id DESC LIMIT 1
                    """, [.text(stage.rawValue), .integer(run)])
            else { continue }
            let by = done.integer("run_id") ?? 0
            stages.append(
                StageTime(
                    stage: stage.rawValue, runID: by, skipped: by != run, startedAt: done.text("started_at") ?? "",
                    finishedAt: done.text("finished_at") ?? "", rowsIn: done.int("rows_in") ?? 0,
                    rowsOut: done.int("rows_out") ?? 0))
        }
        return RunManifest(
            runID: run,
            command: (row.text("command") ?? "").split(separator: " ").map { JSONValue.withoutCredentials(String($0)) }
                .joined(separator: " "),
            dryRun: row.integer("dry_run") ?? 0 != 0, status: row.text("status") ?? "",
            startedAt: row.text("started_at") ?? "", finishedAt: row.text("finished_at"),
            tool: Tool(version: row.text("tool_version") ?? "", gitRevision: ToolVersion.revision),
            phonenumber: PhoneLibrary(
                library: row.text("phonenumber_library") ?? "", package: row.text("phonenumber_package") ?? "unknown",
                metadataFingerprint: row.text("phonenumber_metadata") ?? ""),
            inputs: inputs, configuration: JSONValue.parse(row.text("config_json") ?? "").withoutSecrets,
            profiles: profiles, stages: stages, books: books)
    }

    /// The manifest as stored, JSON with sorted keys (`run_manifests.manifest_json`).
    public var storedJSON: String {
        get throws { String(decoding: try JSONEncoder.sorted.encode(self), as: UTF8.self) }
    }

    /// The stored manifest of `run`.
    public static func load(from db: some AuditSQLReader, run: Int64) throws -> RunManifest? {
        guard
            let json = try db.text(
                "SELECT manifest_json FROM run_manifests WHERE run_id = ?", [.integer(run)], column: "manifest_json")
        else { return nil }
        return try JSONDecoder().decode(RunManifest.self, from: Data(json.utf8))
    }
}
