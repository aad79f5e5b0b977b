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

    /// The result's column names, in order.
    var columnNames: [String] { (0..<PQnfields(result)).map { String(cString: PQfname(result, $0)) } }

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
    /// A `bytea` value (the server's hex output form, `\\x…`) as its bytes.
    func bytes(_ row: Int, _ column: Int32) -> Data? {
        guard let text = string(row, column)?.utf8, text.starts(with: "\\x".utf8) else { return nil }
        func nibble(_ byte: UInt8) -> UInt8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            default: return byte &- UInt8(ascii: "A") &+ 10
            }
        }
        let digits = Array(text.dropFirst(2))
        var data = Data(capacity: digits.count / 2)
        var index = 0
        while index + 1 < digits.count {
            data.append(nibble(digits[index]) << 4 | nibble(digits[index + 1]))
            index += 2
        }
        return data
    }

    var scalarInt: Int? { count > 0 ? int(0, 0) : nil }
    var scalarString: String? { count > 0 ? string(0, 0) : nil }
}
