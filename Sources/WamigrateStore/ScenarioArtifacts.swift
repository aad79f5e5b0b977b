import GRDB
import WamigrateBase

extension JobStore {
    /// Replaces the stored conversion results with this conversion's.
    public func recordScenarioConversion(_ records: [ScenarioArtifactRecord]) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM scenario_artifacts")
            let now = Clock.isoNow()
            for r in records {
                try db.execute(
                    sql: """
                        INSERT INTO scenario_artifacts (converted_at, artifact, kind, file, line, status, category, changes,
                          losses, lint_errors, lint_warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        now, r.artifact, r.kind, r.file, r.line, r.status, r.category, r.changes, r.losses, r.lintErrors,
                        r.lintWarnings,
                    ])
            }
        }
    }
}
