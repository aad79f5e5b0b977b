import GRDB
import WamigrateBase

extension CheckBudget {
    static func load(_ db: Database, limit: Int) throws -> CheckBudget {
        CheckBudget(
            limit: limit, used: try Int.fetchOne(db, sql: usedSQL) ?? 0, queued: try Int.fetchOne(db, sql: queuedSQL) ?? 0)
    }
}
