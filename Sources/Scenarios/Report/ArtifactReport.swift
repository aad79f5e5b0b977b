import TemplateRules
import WamigrateBase

/// What one input artifact became, and every change or loss on the way.
public struct ArtifactReport: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// Written to templates/ or flows/; lints clean of errors.
        case converted
        /// Written to drafts/: a person must fix what the report lists.
        case needsReview = "needs_review"
        /// Not a scenario input.
        case skipped
    }

    public struct Note: Codable, Sendable, Equatable {
        /// A short stable tag: placeholder, dangling_start, opt_out_button, url_button, markup, ...
        public var kind: String
        public var detail: String
    }

    public var artifact: String
    public var kind: String
    public var file: String
    public var line: Int?
    public var status: Status = .converted
    public var outputs: [String] = []
    public var category: String?
    public var categoryReason: String?
    public var changes: [Note] = []
    public var losses: [Note] = []
    public var lintErrors: [String] = []
    public var lintWarnings: [String] = []

    enum CodingKeys: String, CodingKey {
        case artifact, kind, file, line, status, outputs, category, changes, losses
        case categoryReason = "category_reason"
        case lintErrors = "lint_errors"
        case lintWarnings = "lint_warnings"
    }

    public init(artifact: String, kind: String, file: String, line: Int? = nil) {
        self.artifact = artifact
        self.kind = kind
        self.file = file
        self.line = line
    }

    /// Maps a legacy language tag to WhatsApp's code, noting the mapping or the
    /// missing code (a `language` loss sends templates to drafts/).
    mutating func language(_ tag: String) -> String {
        let mapping = LanguageCodes.map(tag)
        switch mapping {
        case .exact: break
        case .mapped(_, let reason): change("language", reason)
        case .unknown: loss("language", "language '\(tag)' has no WhatsApp code; set one in the draft")
        }
        return mapping.code(or: tag)
    }

    mutating func change(_ kind: String, _ detail: String) { changes.append(Note(kind: kind, detail: detail)) }
    mutating func loss(_ kind: String, _ detail: String) { losses.append(Note(kind: kind, detail: detail)) }
}

extension ScenarioConversion.Summary {
    /// One store record per artifact, for the auditor's report.
    public var records: [ScenarioArtifactRecord] {
        artifacts.map {
            ScenarioArtifactRecord(
                artifact: $0.artifact, kind: $0.kind, file: $0.file, line: $0.line, status: $0.status.rawValue,
                category: $0.category, changes: $0.changes.count, losses: $0.losses.count,
                lintErrors: $0.lintErrors.count, lintWarnings: $0.lintWarnings.count)
        }
    }
}
