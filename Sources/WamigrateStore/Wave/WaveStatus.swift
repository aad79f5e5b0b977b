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
                db, sql: "SELECT state, count(*) FROM wave_messages WHERE wave = ? GROUP BY state", arguments: [name])
            {
                report.byState[row[0]] = row[1]
            }
            for row in try Row.fetchAll(
                db,
                sql: "SELECT delivery, count(*) FROM wave_messages WHERE wave = ? AND delivery IS NOT NULL GROUP BY delivery",
                arguments: [name])
            {
                report.byDelivery[row[0]] = row[1]
            }
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT error_code, count(*) FROM wave_messages WHERE wave = ? AND error_code IS NOT NULL GROUP BY error_code",
                arguments: [name])
            {
                report.byError[row[0]] = row[1]
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT reason, count(*) FROM wave_messages WHERE wave = ? AND state = ? GROUP BY reason",
                arguments: [name, MessageState.excluded])
            {
                report.excludedByReason[row[0] ?? "unknown"] = row[1]
            }
            let planned = try Row.fetchOne(
                db, sql: "SELECT count(DISTINCT day), COALESCE(sum(cost), 0) FROM wave_messages WHERE wave = ? AND state = ?",
                arguments: [name, MessageState.planned])
            report.daysLeft = planned?[0] ?? 0
            report.plannedCost = planned?[1] ?? 0
        }
        return report
    }
}
