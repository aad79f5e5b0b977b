/// The tally as one SQL aggregate over `consent_events`, the same text on every engine
/// (conditions counted through CASE, which SQLite and PostgreSQL read alike). Fragments of
/// one GROUP BY, shared by import, the report and trace: the words come from the enums
/// (checked by the compiler), written into the text.
extension ConsentTally {
    /// The aggregate columns' names, one per property (`opt_outs` for `optOuts`...), in `columns(policy:)`'s order.
    public static let columnNames = [
        "opt_outs", "undated_opt_out", "last_opt_out", "opt_ins", "last_opt_in", "counted_opt_ins", "last_counted_opt_in",
        "marketing_stops", "undated_marketing_stop", "last_marketing_stop", "last_marketing_resume",
    ]

    /// The aggregate columns, each named by `columnNames`.
    public static func columns(policy: ConsentPolicy) -> String {
        let counted = policy.sqlPredicate
        let (optIn, optOut) = ("'\(ConsentEvent.Kind.optIn.rawValue)'", "'\(ConsentEvent.Kind.optOut.rawValue)'")
        let marketing = ConsentEvent.Method.marketingOnlySQL
        let (out, into) = ("event = \(optOut) AND NOT \(marketing)", "event = \(optIn) AND NOT \(marketing)")
        let stop = "event = \(optOut) AND \(marketing)"
        func count(_ condition: String) -> String { "SUM(CASE WHEN \(condition) THEN 1 ELSE 0 END)" }
        func any(_ condition: String) -> String { "MAX(CASE WHEN \(condition) THEN 1 ELSE 0 END)" }
        func last(_ condition: String) -> String { "MAX(CASE WHEN \(condition) THEN at END)" }
        let list = [
            count(out), any("\(out) AND at IS NULL"), last(out),
            count(into), last(into), count("\(into) AND \(counted)"), last("\(into) AND \(counted)"),
            count(stop), any("\(stop) AND at IS NULL"), last(stop),
            last("event = \(optIn) AND \(marketing)"),
        ]
        return zip(list, columnNames).map { "\($0) AS \($1)" }.joined(separator: ", ")
    }
}
