import Foundation
import GRDB

extension JobStore {
    public func waveStatus(_ name: String) throws -> WaveStatusReport {
        let record = try wave(name)
        var report = WaveStatusReport()
        report.wave = record.name
        report.template = record.template
        report.language = record.language
        report.category = record.category
        report.tier = record.tier
        try read { db in
            for row in try Row.fetchAll(
                db, sql: "SELECT state, count(*) AS count FROM wave_messages WHERE wave = ? GROUP BY state", arguments: [name])
            {
                report.byState[row["state"]] = row["count"]
            }
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT delivery, count(*) AS count FROM wave_messages WHERE wave = ? AND delivery IS NOT NULL GROUP BY delivery",
                arguments: [name])
            {
                report.byDelivery[row["delivery"]] = row["count"]
            }
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT error_code, count(*) AS count FROM wave_messages WHERE wave = ? AND error_code IS NOT NULL GROUP BY error_code",
                arguments: [name])
            {
                report.byError[row["error_code"]] = row["count"]
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT reason, count(*) AS count FROM wave_messages WHERE wave = ? AND state = ? GROUP BY reason",
                arguments: [name, MessageState.excluded])
            {
                report.excludedByReason[row["reason"] ?? "unknown"] = row["count"]
            }
            let planned = try Row.fetchOne(
                db,
                sql:
                    "SELECT count(DISTINCT day) AS days, COALESCE(sum(cost), 0) AS cost FROM wave_messages WHERE wave = ? AND state = ?",
                arguments: [name, MessageState.planned])
            report.daysLeft = planned?["days"] ?? 0
            report.plannedCost = planned?["cost"] ?? 0
        }
        return report
    }
}
