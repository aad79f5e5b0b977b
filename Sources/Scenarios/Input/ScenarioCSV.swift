import WamigrateBase

/// A small CSV file read into rows keyed by lowercased header names.
struct ScenarioCSV {
    struct Row {
        var line: Int
        var values: [String: String]
        subscript(_ key: String) -> String? {
            values[key].flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    var path: String
    var header: [String]
    var rows: [Row]

    static func read(_ path: String) throws -> ScenarioCSV {
        let facts = try InputInspector.inspect(path: path)
        let reader = try CSVReader(path: path, encoding: facts.encoding)
        guard let first = try reader.next() else {
            throw WamigrateError(.inputEmpty, "the file has no header", hint: "add a header line", at: .init(file: path, line: 1))
        }
        let header = first.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var rows: [Row] = []
        while let record = try reader.next() {
            var values: [String: String] = [:]
            for (index, name) in header.enumerated() where index < record.fields.count {
                values[name] = record.fields[index].trimmingCharacters(in: .whitespaces)
            }
            rows.append(Row(line: record.line, values: values))
        }
        return ScenarioCSV(path: path, header: header, rows: rows)
    }

    /// Fails with file:1:column when a required column is missing.
    func require(_ columns: [String], kind: String) throws {
        for column in columns where !header.contains(column) {
            throw WamigrateError(
                .inputCSV, "\(kind) file has no '\(column)' column (columns: \(header.joined(separator: ", ")))",
                hint: "add a '\(column)' column; the README lists the \(kind) format",
                at: .init(file: path, line: 1, column: header.count + 1))
        }
    }

    func fail(_ row: Row, column: String, _ message: String, hint: String) -> WamigrateError {
        WamigrateError(
            .inputCSV, message, hint: hint,
            at: .init(file: path, line: row.line, column: (header.firstIndex(of: column) ?? 0) + 1))
    }
}
