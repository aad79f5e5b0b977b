import Foundation
import WamigrateBase
import WamigrateModel

/// The check budget on PostgreSQL, counted as the SQLite store's `CheckBudget` counts it: the
/// contacts API must not be asked about more numbers than the business messages (Meta disables
/// numbers that do); checks are counted over the job's whole life.
struct PostgresCheckBudget {
    var limit: Int
    /// Numbers sent, counted once per send: a batch sent again after a kill counts twice.
    var used: Int
    /// Numbers in batches planned but not yet sent.
    var queued: Int

    static func load(_ connection: PostgresConnection, limit: Int) throws -> PostgresCheckBudget {
        let used =
            try connection.execute(
                "SELECT COALESCE(SUM(b.size * b.attempts), 0) FROM verify_batches b WHERE b.attempts > 0"
            ).scalarInt ?? 0
        let queued =
            try connection.execute(
                "SELECT COUNT(*) FROM verify_items i JOIN verify_batches b ON b.id = i.batch_id WHERE b.attempts = 0"
            ).scalarInt ?? 0
        return PostgresCheckBudget(limit: limit, used: used, queued: queued)
    }

    /// Refuses a plan that would take the job over its budget (the SQLite store's words).
    func allow(newChecks: Int, overBudgetAllowed: Bool) throws {
        let total = used + queued + newChecks
        guard total > limit, !overBudgetAllowed else { return }
        throw WamigrateError(
            .overBudget,
            "this run would bring the job to \(total) contact checks (\(used) already made, "
                + "\(queued + newChecks) to make), over the check budget of \(limit)",
            hint: "set --budget to the number of messages you will really send, or pass --allow-over-budget; "
                + "WhatsApp disables numbers that check far more contacts than they message")
    }
}
