import Foundation
import WamigrateBase
import WamigrateModel

/// A rollout's gate decisions and the cohorts released to `send`, as the SQLite store keeps them.
extension PostgresJobStore {
    /// The decisions taken so far, oldest first.
    public func rolloutDecisions(_ wave: String) throws -> [RolloutDecision] {
        try read {
            let rows = try connection.execute(
                """
                SELECT wave, cohort, at, verdict, sample, detail, released FROM wave_rollout_decisions
                WHERE wave = $1 ORDER BY id
                """, [wave])
            return (0..<rows.count).map { index in
                RolloutDecision(
                    wave: rows.string(index, 0) ?? "", cohort: rows.int(index, 1) ?? 0, at: rows.int64(index, 2) ?? 0,
                    verdict: rows.string(index, 3) ?? "", sample: rows.int(index, 4) ?? 0,
                    detail: rows.string(index, 5) ?? "", released: rows.int(index, 6) ?? 0)
            }
        }
    }

    /// Keeps a decision and sets the cohorts released to it.
    public func recordRolloutDecision(_ decision: RolloutDecision) throws {
        try write { try insertRolloutDecision(decision) }
    }

    /// Gives every planned message `variant`, releases every cohort and keeps the decision.
    public func promote(_ wave: String, variant: String, decision: RolloutDecision) throws {
        try write {
            try connection.execute(
                "UPDATE wave_messages SET variant = $1 WHERE wave = $2 AND state = $3",
                [variant, wave, MessageState.planned.rawValue])
            try connection.execute("UPDATE waves SET promoted = $1 WHERE name = $2", [variant, wave])
            try insertRolloutDecision(decision)
        }
    }

    private func insertRolloutDecision(_ decision: RolloutDecision) throws {
        try connection.execute(
            """
            INSERT INTO wave_rollout_decisions (wave, cohort, at, verdict, sample, detail, released)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
            [
                decision.wave, decision.cohort, decision.at, decision.verdict, decision.sample, decision.detail,
                decision.released,
            ])
        try connection.execute(
            "UPDATE waves SET released = $1 WHERE name = $2", [decision.released, decision.wave])
    }
}
