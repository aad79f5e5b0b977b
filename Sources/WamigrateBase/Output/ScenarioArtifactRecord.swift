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
