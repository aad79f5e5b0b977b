import GRDB
import WamigrateBase

extension SQLiteVerifyBatches {
    /// Plans new batches of at most `size` numbers for the candidates with no fresh
    /// answer and no open batch, within the budget (`limit`, default: one check per
    /// candidate); with `dryRun`, only counts. In one transaction.
    public func plan(
        runID: Int64, freshAfter: Int64, forceCheck: Bool, limit: Int?, allowOverBudget: Bool, size: Int, dryRun: Bool
    ) throws -> VerifyPlan {
        try store.write { db in
            var result = VerifyPlan()
            let candidates = try SQLRequest<String>(
                "SELECT e164 FROM contacts WHERE e164 IS NOT NULL AND consent != \(ConsentState.optedOut) ORDER BY e164"
            ).fetchAll(db)
            result.candidates = candidates.count
            let fresh =
                forceCheck
                ? Set<String>()
                : Set(
                    try String.fetchAll(
                        db, sql: "SELECT e164 FROM registrations WHERE final = 1 AND checked_at > ?",
                        arguments: [freshAfter]))
            let open = try openNumbers(db)
            let toPlan = candidates.filter { !fresh.contains($0) && !open.contains($0) }
            result.cached = candidates.count - toPlan.count - open.intersection(candidates).count
            let budget = try CheckBudget.load(db, limit: limit ?? candidates.count)
            try budget.allow(newChecks: toPlan.count, overBudgetAllowed: allowOverBudget)
            result.budget = budget.limit
            result.planned = toPlan.count + open.count
            if !dryRun { _ = try self.plan(toPlan, size: size, forceCheck: forceCheck, runID: runID, in: db) }
            return result
        }
    }

    /// Checks sent over the job's life (see `CheckBudget.used`).
    public func checksUsed() throws -> Int {
        try store.read { try CheckBudget.load($0, limit: 0).used }
    }

    /// This run's contacts-api answers with each number's type, for the discrimination check.
    public func answersOfRun(_ runID: Int64, _ visit: (_ answer: String, _ numberType: String?) -> Void) throws {
        try store.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.answer, c.number_type FROM registrations r
                    JOIN verify_batches b ON b.id = r.batch_id AND b.done_run = ?
                    LEFT JOIN contacts c ON c.e164 = r.e164 WHERE r.verifier = 'contacts-api'
                    """, arguments: [runID])
            while let row = try rows.next() { visit(row["answer"], row["number_type"]) }
        }
    }

    /// This run's `valid` answers recorded as unknown: the endpoint said valid for everything.
    public func distrustValidAnswers(ofRun runID: Int64) throws {
        try store.write { db in
            try db.execute(
                sql: """
                    UPDATE registrations SET status = ?, reason = 'endpoint answers valid for everything'
                    WHERE verifier = 'contacts-api' AND answer = 'valid'
                      AND batch_id IN (SELECT id FROM verify_batches WHERE done_run = ?)
                    """, arguments: [RegistrationStatus.unknown, runID])
        }
    }
}
