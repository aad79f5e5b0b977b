import Foundation
import GRDB

extension JobStore {
    public func waveStatus(_ name: String) throws -> WaveStatusReport {
        let record = try wave(name)
        return try read { db in
            var report = try Self.waveReport(record, db)
            // One pass in index order; every count is a margin of it.
            for row in try Row.fetchAll(db, sql: Self.tallySQL, arguments: ["wave": name, "cutoff": Int64.max]) {
                report.add(
                    count: row["n"], state: row["state"], delivery: row["delivery"], errorCode: row["error_code"],
                    reason: row["reason"])
            }
            return report
        }
    }

    /// The wave's record and what is still planned (days of the schedule, cost); the counts
    /// come from the tally (`add`).
    static func waveReport(_ record: WaveRecord, _ db: Database) throws -> WaveStatusReport {
        var report = WaveStatusReport(record: record)
        let planned = try Row.fetchOne(
            db,
            sql:
                "SELECT count(DISTINCT day) AS days, COALESCE(sum(cost), 0) AS cost FROM wave_messages WHERE wave = ? AND state = ?",
            arguments: [record.name, MessageState.planned])
        report.daysLeft = planned?["days"] ?? 0
        report.plannedCost = planned?["cost"] ?? 0
        return report
    }
}
