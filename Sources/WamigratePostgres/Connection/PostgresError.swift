import CPostgres
import Foundation

/// What the server or libpq said when a statement failed: the SQLSTATE code and the primary
/// message only. The DETAIL line (which quotes the values, e.g. the duplicate key) is never
/// read, so numbers and names stay out of errors as they do with SQLite.
struct PostgresError: Error, CustomStringConvertible {
    var sqlState: String
    var message: String
    var constraint: String?

    /// Class 22 (data exception) messages quote the value that failed; only the kind is kept.
    init(result: OpaquePointer?, connection: OpaquePointer?) {
        func field(_ code: Int32) -> String? {
            guard let result, let text = PQresultErrorField(result, code) else { return nil }
            return String(cString: text)
        }
        sqlState = field(wm_pq_diag_sqlstate) ?? "08000"
        constraint = field(wm_pq_diag_constraint)
        var primary = field(wm_pq_diag_message) ?? connection.flatMap { PQerrorMessage($0).map { String(cString: $0) } } ?? ""
        if sqlState.hasPrefix("22"), let colon = primary.firstIndex(of: ":") { primary = String(primary[..<colon]) }
        message = primary.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    init(sqlState: String, message: String) {
        self.sqlState = sqlState
        self.message = message
    }

    var description: String { "\(message) (SQLSTATE \(sqlState))" }
}
