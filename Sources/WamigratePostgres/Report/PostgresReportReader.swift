import Foundation
import WamigrateModel

/// The report's queries on PostgreSQL, inside the caller's read transaction. No result is kept
/// on this engine (nothing keeps `table_generations` current here): every query runs now, and
/// the report says so ("0 of N queries answered by results the run kept").
final class PostgresReportReader: ReportQueryReader {
    let connection: PostgresConnection
    private var asked = 0

    init(connection: PostgresConnection) { self.connection = connection }

    var dialect: StoreEngineName { .postgres }

    var queryUse: AuditReport.QueryUse { .init(asked: asked, fromKeptResults: 0) }

    func figureRows(_ sql: String, _ arguments: [String]) throws -> [ReportRow] {
        asked += 1
        return try rows(sql, arguments)
    }

    func rows(_ sql: String, _ arguments: [String]) throws -> [ReportRow] {
        let result = try connection.execute(sql, arguments)
        let columns = result.columnNames
        return (0..<result.count).map { row in
            ReportRow(columns: columns, values: (0..<Int32(columns.count)).map { result.string(row, $0) })
        }
    }

    /// The messaging tables are all here; `scenario_artifacts` (`scenarios convert --store`) is SQLite's only.
    func hasTable(_ table: String) throws -> Bool {
        try connection.execute("SELECT to_regclass($1) IS NOT NULL", [table]).scalarString == "t"
    }

    /// `PostgresJobStore.rolloutCellsSQL` with the cutoff (`$2`) and the wave (`$1`) written in.
    func rolloutCellsQuery(wave: String, cutoff: Int64) -> String {
        PostgresJobStore.rolloutCellsSQL().replacingOccurrences(of: "$2", with: String(cutoff))
            .replacingOccurrences(of: "$1", with: AuditSections.literal(wave))
    }

    func holdoutLegacyQuery(wave: String) -> String {
        PostgresJobStore.holdoutLegacySQL.replacingOccurrences(of: "$1", with: AuditSections.literal(wave))
    }
}
