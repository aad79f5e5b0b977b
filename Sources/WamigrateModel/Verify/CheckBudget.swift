import WamigrateBase

/// The contacts API must not be asked about more numbers than the business
/// messages: Meta disables numbers that do. The budget is the messages the user
/// says they will send; checks are counted over the job's whole life. Each engine
/// loads `used` and `queued` with these queries.
public struct CheckBudget {
    public var limit: Int
    /// Numbers sent, counted once per send: a batch sent again after a kill (its first
    /// answer lost with the process) was checked twice by the server and counts twice.
    public var used: Int
    /// Numbers in batches planned but not yet sent.
    public var queued: Int

    public init(limit: Int, used: Int, queued: Int) {
        self.limit = limit
        self.used = used
        self.queued = queued
    }

    public static let usedSQL = "SELECT COALESCE(SUM(b.size * b.attempts), 0) FROM verify_batches b WHERE b.attempts > 0"
    public static let queuedSQL =
        "SELECT COUNT(*) FROM verify_items i JOIN verify_batches b ON b.id = i.batch_id WHERE b.attempts = 0"

    /// Refuses a plan that would take the job over its budget.
    public func allow(newChecks: Int, overBudgetAllowed: Bool) throws {
        let total = used + queued + newChecks
        guard total > limit, !overBudgetAllowed else { return }
        throw WamigrateError(
            .overBudget,
            "this run would bring the job to \(total) contact checks (\(used) already made, \(queued + newChecks) to make), "
                + "over the check budget of \(limit)",
            hint: "set --budget to the number of messages you will really send, or pass --allow-over-budget; "
                + "WhatsApp disables numbers that check far more contacts than they message")
    }
}
