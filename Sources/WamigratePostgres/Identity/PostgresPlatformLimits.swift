import Foundation
import WamigrateModel

/// The messaging limit as the platform announces it, on PostgreSQL: the SQLite store's
/// `PlatformLimits`. An announcement already kept (same field, value and time) is kept once.
extension PostgresJobStore {
    public func recordPlatformLimits(_ limits: [PlatformLimit]) throws {
        guard !limits.isEmpty else { return }
        try write {
            for limit in limits {
                try connection.execute(
                    """
                    INSERT INTO platform_limits (field, event, tier, raw, at, origin) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT DO NOTHING
                    """, [limit.field, limit.event, limit.tier, limit.raw, limit.at, limit.origin])
            }
        }
    }

    /// The newest limit the platform announced, if any.
    public func platformLimit() throws -> PlatformLimit? {
        try read {
            let rows = try connection.execute(
                "SELECT field, event, tier, raw, at, origin FROM platform_limits ORDER BY at DESC, id DESC LIMIT 1")
            guard rows.count == 1 else { return nil }
            return PlatformLimit(
                field: rows.string(0, rows.column("field")) ?? "", event: rows.string(0, rows.column("event")),
                tier: rows.int(0, rows.column("tier")), raw: rows.string(0, rows.column("raw")) ?? "",
                at: rows.int64(0, rows.column("at")) ?? 0, origin: rows.string(0, rows.column("origin")) ?? "")
        }
    }
}
