import Foundation
import WamigrateBase
import WamigrateModel

extension CheckBudget {
    static func load(_ connection: PostgresConnection, limit: Int) throws -> CheckBudget {
        CheckBudget(
            limit: limit, used: try connection.execute(usedSQL).scalarInt ?? 0,
            queued: try connection.execute(queuedSQL).scalarInt ?? 0)
    }
}
