import GRDB
import WamigrateModel

/// The tally as one SQL aggregate over `consent_events`, and read back from it.
extension ConsentTally {
    /// The aggregate columns, in the order `init(row:offset:)` reads them,
    /// named s1...s11 when `named`.
    public static func columns(policy: ConsentPolicy, named: Bool = false) -> String {
        // Fragments of one GROUP BY, shared by import, the report and trace: the words
        // come from the enum (checked by the compiler), written into the text.
        let counted = policy.sqlPredicate
        let (optIn, optOut) = ("'\(ConsentEvent.Kind.optIn.rawValue)'", "'\(ConsentEvent.Kind.optOut.rawValue)'")
        let marketing = ConsentEvent.Method.marketingOnlySQL
        let (out, into) = ("event = \(optOut) AND NOT \(marketing)", "event = \(optIn) AND NOT \(marketing)")
        let list = [
            "SUM(\(out))", "MAX(\(out) AND at IS NULL)", "MAX(CASE WHEN \(out) THEN at END)",
            "SUM(\(into))", "MAX(CASE WHEN \(into) THEN at END)", "SUM(\(into) AND \(counted))",
            "MAX(CASE WHEN \(into) AND \(counted) THEN at END)",
            "SUM(event = \(optOut) AND \(marketing))", "MAX(event = \(optOut) AND \(marketing) AND at IS NULL)",
            "MAX(CASE WHEN event = \(optOut) AND \(marketing) THEN at END)",
            "MAX(CASE WHEN event = \(optIn) AND \(marketing) THEN at END)",
        ]
        return list.enumerated().map { named ? "\($1) AS s\($0 + 1)" : $1 }.joined(separator: ", ")
    }

    public static let columnCount = 11

    /// Reads the aggregate columns starting at `offset`; a missing (NULL) group is an empty tally.
    init(row: Row, offset: Int) {
        self.init()
        optOuts = row[offset] ?? 0
        undatedOptOut = (row[offset + 1] as Int?) == 1
        lastOptOut = row[offset + 2]
        optIns = row[offset + 3] ?? 0
        lastOptIn = row[offset + 4]
        countedOptIns = row[offset + 5] ?? 0
        lastCountedOptIn = row[offset + 6]
        marketingStops = row[offset + 7] ?? 0
        undatedMarketingStop = (row[offset + 8] as Int?) == 1
        lastMarketingStop = row[offset + 9]
        lastMarketingResume = row[offset + 10]
    }
}
