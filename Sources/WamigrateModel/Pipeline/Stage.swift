/// The pipeline's stages in order. Each owns its tables; re-running one replaces
/// its results and clears every later stage's.
public enum Stage: String, CaseIterable, Codable, Sendable, Comparable {
    case extract, normalize, dedupe, verify, `import`

    public var ownedTables: [String] {
        switch self {
        case .extract: ["input_rows", "sources"]
        case .normalize: ["normalized_rows"]
        case .dedupe: ["wa_merges", "conflicts", "contact_rows", "contacts"]
        // The answers and the batch ledger outlive re-runs: checks cost budget.
        case .verify: []
        case .import: ["import_lists"]
        }
    }

    public var index: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Stage, b: Stage) -> Bool { a.index < b.index }

    /// This stage and the ones after it.
    public var andLater: [Stage] { Self.allCases.filter { $0 >= self } }
}
