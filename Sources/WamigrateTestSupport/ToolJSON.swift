import Foundation

/// A `--json` answer of the tool, read as a user's script would: by key, with no types of
/// the tool's own. A missing key or a value of another type reads as nil.
public struct ToolJSON: CustomStringConvertible {
    public let value: Any?

    public init(_ value: Any?) { self.value = value }

    /// The JSON a command printed on stdout (whatever its exit status).
    public init(output result: Binary.Result) throws {
        value = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    }

    public subscript(key: String) -> ToolJSON { ToolJSON((value as? [String: Any])?[key]) }
    public subscript(index: Int) -> ToolJSON {
        guard let array = value as? [Any], array.indices.contains(index) else { return ToolJSON(nil) }
        return ToolJSON(array[index])
    }

    public var int: Int? { value as? Int }
    public var string: String? { value as? String }
    public var bool: Bool? { value as? Bool }
    public var array: [ToolJSON] { (value as? [Any] ?? []).map(ToolJSON.init) }
    public var keys: [String] { (value as? [String: Any]).map { $0.keys.sorted() } ?? [] }
    /// A `{"word": count}` object; missing words count 0 when read through it.
    public var counts: [String: Int] { value as? [String: Int] ?? [:] }
    public var isNull: Bool { value == nil || value is NSNull }

    public var description: String {
        guard let value, JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        else { return String(describing: value) }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The tool's read-only commands, run on a store the way a user checks a job.
public enum ToolReadout {
    /// `status --json`: stages, contacts, lists, WhatsApp statuses, the books.
    public static func status(_ store: String) throws -> ToolJSON {
        try ToolJSON(output: try Binary.run(["status", "--store", store, "--json"]))
    }

    /// `trace --json --unmasked`: one person's rows, fields, verification, list, ledger and messages.
    public static func trace(_ store: String, _ lookup: String) throws -> ToolJSON {
        let result = try Binary.run(["trace", lookup, "--store", store, "--json", "--unmasked"])
        guard result.status == 0 else { throw ReadoutError(command: "trace \(lookup)", stderr: result.stderr) }
        return try ToolJSON(output: result)
    }

    /// `wave status --json`: a wave's messages by state, delivery and error.
    public static func wave(_ store: String, _ name: String) throws -> ToolJSON {
        let result = try Binary.run(["wave", "status", "--store", store, "--name", name, "--json"])
        guard result.status == 0 else { throw ReadoutError(command: "wave status \(name)", stderr: result.stderr) }
        return try ToolJSON(output: result)
    }

    /// `campaign status --json`: a campaign's messages by state, channel and language.
    public static func campaign(_ store: String, _ name: String) throws -> ToolJSON {
        let result = try Binary.run(["campaign", "status", "--store", store, "--name", name, "--json"])
        guard result.status == 0 else { throw ReadoutError(command: "campaign status \(name)", stderr: result.stderr) }
        return try ToolJSON(output: result)
    }

    /// `export --out`: contacts.csv, rejected_rows.csv and viber_only.csv as the store has them now.
    public static func export(_ store: String, to folder: String) throws {
        let result = try Binary.run(["export", "--store", store, "--out", folder, "--quiet"])
        guard result.status == 0 else { throw ReadoutError(command: "export", stderr: result.stderr) }
    }

    public struct ReadoutError: Error, CustomStringConvertible {
        public var command: String
        public var stderr: String
        public var description: String { "wamigrate \(command) failed: \(stderr)" }
    }
}

extension ToolJSON {
    /// A JSON file the tool wrote (summary.json, report.json).
    public init(contentsOf path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        self.init(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }
}
