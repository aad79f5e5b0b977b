import GRDB

/// What `scenarios convert --store` made of each legacy artifact, for the report.
public struct ScenarioArtifactRecord: Sendable {
    public var artifact: String
    public var kind: String
    public var file: String
    public var line: Int?
    public var status: String
    public var category: String?
    public var changes: Int
    public var losses: Int
    public var lintErrors: Int
    public var lintWarnings: Int

    public init(
        artifact: String, kind: String, file: String, line: Int?, status: String, category: String?, changes: Int,
        losses: Int, lintErrors: Int, lintWarnings: Int
    ) {
        self.artifact = artifact
        self.kind = kind
        self.file = file
        self.line = line
        self.status = status
        self.category = category
        self.changes = changes
        self.losses = losses
        self.lintErrors = lintErrors
        self.lintWarnings = lintWarnings
    }
}

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
