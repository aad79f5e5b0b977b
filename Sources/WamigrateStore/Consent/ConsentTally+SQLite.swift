import GRDB
import WamigrateModel

/// The tally as one SQL aggregate over `consent_events`, and read back from it.
extension ConsentTally {
    /// The aggregate columns' names, one per property (`opt_outs` for `optOuts`...), in `columns(policy:)`'s order.
    public static let columnNames = [
        "opt_outs", "undated_opt_out", "last_opt_out", "opt_ins", "last_opt_in", "counted_opt_ins", "last_counted_opt_in",
        "marketing_stops", "undated_marketing_stop", "last_marketing_stop", "last_marketing_resume",
    ]

    /// The aggregate columns, each named by `columnNames`.
    public static func columns(policy: ConsentPolicy) -> String {
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
        return zip(list, columnNames).map { "\($0) AS \($1)" }.joined(separator: ", ")
    }

    /// Reads the aggregate columns by name, each prefixed with `prefix` (`t1_opt_outs`...); a missing
    /// (NULL) group is an empty tally.
    init(row: Row, prefix: String = "") {
        self.init()
        optOuts = row[prefix + "opt_outs"] ?? 0
        undatedOptOut = (row[prefix + "undated_opt_out"] as Int?) == 1
        lastOptOut = row[prefix + "last_opt_out"]
        optIns = row[prefix + "opt_ins"] ?? 0
        lastOptIn = row[prefix + "last_opt_in"]
        countedOptIns = row[prefix + "counted_opt_ins"] ?? 0
        lastCountedOptIn = row[prefix + "last_counted_opt_in"]
        marketingStops = row[prefix + "marketing_stops"] ?? 0
        undatedMarketingStop = (row[prefix + "undated_marketing_stop"] as Int?) == 1
        lastMarketingStop = row[prefix + "last_marketing_stop"]
        lastMarketingResume = row[prefix + "last_marketing_resume"]
    }
}
