import GRDB
import WamigrateModel

/// The tally read back from its SQL aggregate (`ConsentTally.columns(policy:)`).
extension ConsentTally {
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
