/// How a source writes numbers that carry no `+`. Set per mapping profile
/// (`phone_format`); Viber's API and exports always carry international digits.
public enum PhoneFormat: String, Codable, Sendable, CaseIterable {
    /// Digits are a country code and a national number (`4915112345678`); a national
    /// reading is used only when the international one is invalid (flagged).
    case international
    /// Digits are national numbers in the row's region; an international reading is
    /// used only when the national one is invalid (flagged `missing_plus`).
    case national
    /// Either; when both readings are valid, `ReadingChoice` decides by evidence.
    case mixed
}

/// How much the region a row is read in can be trusted.
public enum RegionEvidence: String, Sendable, Comparable {
    /// The job's `--default-region`: a guess for the whole file.
    case guess
    /// The source's own default region (profile or job config): the provider's market.
    case source
    /// The row's own country cell.
    case row

    private var rank: Int {
        switch self {
        case .guess: 0
        case .source: 1
        case .row: 2
        }
    }

    public static func < (a: RegionEvidence, b: RegionEvidence) -> Bool { a.rank < b.rank }
}

/// The region to read a number without `+` in, and how it was known.
public struct RegionHint: Equatable, Hashable, Sendable {
    public var code: String
    public var evidence: RegionEvidence

    public init(_ code: String, _ evidence: RegionEvidence) {
        self.code = code.uppercased()
        self.evidence = evidence
    }
}
