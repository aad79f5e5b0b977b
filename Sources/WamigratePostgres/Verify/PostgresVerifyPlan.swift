import Foundation
import WamigrateBase
import WamigrateModel

extension PostgresVerifyBatches {
    /// Plans new batches of at most `size` numbers for the candidates with no fresh answer and no
    /// open batch, within the budget (`limit`, default: one check per candidate); with `dryRun`,
    /// only counts. In one transaction, one planner at a time (the table lock: two processes
    /// would otherwise both find a number in no open batch and plan it twice).
    func plan(
        runID: Int64, freshAfter: Int64, forceCheck: Bool, limit: Int?, allowOverBudget: Bool, size: Int, dryRun: Bool
    ) throws -> VerifyPlan {
        try locked {
            try store.write {
                try connection.run("LOCK TABLE verify_batches IN SHARE ROW EXCLUSIVE MODE")
                var result = VerifyPlan()
                let rows = try connection.execute(
                    "SELECT e164 FROM contacts WHERE e164 IS NOT NULL AND consent != $1 ORDER BY e164 COLLATE \"C\"",
                    [ConsentState.optedOut])
                let candidates = (0..<rows.count).compactMap { rows.string($0, 0) }
                result.candidates = candidates.count
                var fresh = Set<String>()
                if !forceCheck {
                    let answered = try connection.execute(
                        "SELECT e164 FROM registrations WHERE final = 1 AND checked_at > $1", [freshAfter])
                    fresh = Set((0..<answered.count).compactMap { answered.string($0, 0) })
                }
                let open = try openNumbers()
                let toPlan = candidates.filter { !fresh.contains($0) && !open.contains($0) }
                result.cached = candidates.count - toPlan.count - open.intersection(candidates).count
                let budget = try CheckBudget.load(connection, limit: limit ?? candidates.count)
                try budget.allow(newChecks: toPlan.count, overBudgetAllowed: allowOverBudget)
                result.budget = budget.limit
                result.planned = toPlan.count + open.count
                if !dryRun { _ = try plan(toPlan, size: size, forceCheck: forceCheck, runID: runID) }
                return result
            }
        }
    }

    /// Checks sent over the job's life (see `CheckBudget.used`).
    func checksUsed() throws -> Int {
        try locked { try store.read { try CheckBudget.load(connection, limit: 0).used } }
    }

    /// This run's contacts-api answers with each number's type, for the discrimination check.
    func answersOfRun(_ runID: Int64, _ visit: (_ answer: String, _ numberType: String?) -> Void) throws {
        try locked {
            try store.read {
                try connection.forEachBatch(
                    """
                    SELECT r.answer, c.number_type FROM registrations r
                    JOIN verify_batches b ON b.id = r.batch_id AND b.done_run = $1
                    LEFT JOIN contacts c ON c.e164 = r.e164 WHERE r.verifier = 'contacts-api'
                    """, [runID]
                ) { rows in
                    for index in 0..<rows.count { visit(rows.string(index, 0) ?? "", rows.string(index, 1)) }
                }
            }
        }
    }

    /// This run's `valid` answers recorded as unknown: the endpoint said valid for everything.
    func distrustValidAnswers(ofRun runID: Int64) throws {
        try locked {
            try store.write {
                try connection.execute(
                    """
                    UPDATE registrations SET status = $1, reason = 'endpoint answers valid for everything'
                    WHERE verifier = 'contacts-api' AND answer = 'valid'
                      AND batch_id IN (SELECT id FROM verify_batches WHERE done_run = $2)
                    """, [RegistrationStatus.unknown, runID])
            }
        }
    }
}
