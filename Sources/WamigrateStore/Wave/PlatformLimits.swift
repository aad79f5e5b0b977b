import Foundation
import GRDB
import WamigrateBase

extension JobStore {
    public func recordPlatformLimits(_ limits: [PlatformLimit]) throws {
        guard !limits.isEmpty else { return }
        try write { db in
            for limit in limits {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO platform_limits (field, event, tier, raw, at, origin) VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [limit.field, limit.event, limit.tier, limit.raw, limit.at, limit.origin])
            }
        }
    }

    /// The newest limit the platform announced, if any.
    public func platformLimit() throws -> PlatformLimit? {
        try read { db in
            try PlatformLimit.fetchOne(
                db, sql: "SELECT field, event, tier, raw, at, origin FROM platform_limits ORDER BY at DESC, id DESC LIMIT 1")
        }
    }
}

extension PlatformLimit: FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.storeColumns
}
