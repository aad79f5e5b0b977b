import Foundation
import WamigrateBase
import WamigrateCore

/// Reads an output CSV back into rows keyed by header, for assertions.
public struct CSVTable {
    public var header: [String]
    public var rows: [[String: String]]

    public init(path: String) throws {
        let facts = try InputInspector.inspect(path: path)
        let reader = try CSVReader(path: path, encoding: facts.encoding, delimiter: UInt8(ascii: ","))
        header = try reader.next()?.fields ?? []
        var rows: [[String: String]] = []
        while let record = try reader.next() {
            var row: [String: String] = [:]
            for (index, name) in header.enumerated() where index < record.fields.count { row[name] = record.fields[index] }
            rows.append(row)
        }
        self.rows = rows
    }

    public func rows(where column: String, is value: String) -> [[String: String]] {
        rows.filter { $0[column] == value }
    }
}
