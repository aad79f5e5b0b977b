import CPostgres
import Foundation

/// A statement's result, the owner of its `PGresult` (freed in `deinit`). Columns are found by
/// name once (`column(_:)`), then read by position per row.
final class PostgresRows {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) { self.result = result }

    deinit { PQclear(result) }

    var count: Int { Int(PQntuples(result)) }
    /// Rows an INSERT, UPDATE or DELETE touched.
    var changes: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    /// The position of the column named `name`; a missing column is a programming error.
    func column(_ name: String) -> Int32 {
        let at = PQfnumber(result, "\"\(name)\"")
        precondition(at >= 0, "no column \(name) in the result")
        return at
    }

    func string(_ row: Int, _ column: Int32) -> String? {
        guard PQgetisnull(result, Int32(row), column) == 0 else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), column))
    }

    func int64(_ row: Int, _ column: Int32) -> Int64? {
        guard PQgetisnull(result, Int32(row), column) == 0 else { return nil }
        return strtoll(PQgetvalue(result, Int32(row), column), nil, 10)
    }

    func int(_ row: Int, _ column: Int32) -> Int? { int64(row, column).map(Int.init) }

    /// The first column of the first row, for `SELECT COUNT(*)` and the like.
    var scalarInt: Int? { count > 0 ? int(0, 0) : nil }
    var scalarString: String? { count > 0 ? string(0, 0) : nil }
}
