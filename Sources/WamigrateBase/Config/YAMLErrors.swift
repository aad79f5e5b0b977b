import Yams

/// What went wrong in a YAML file and where: one reading of Yams' and
/// Decodable's errors for every YAML file the tool loads (profiles, job
/// configs, campaign files, simulator scripts).
public enum YAMLErrors {
    /// `missing key 'x'`, `a.b: expected ...`, or the YAML syntax error.
    public static func describe(_ error: Error) -> String {
        switch syntax(error) ?? error {
        case let deep as BoundedYAML.TooDeep: "\(deep)"
        case let yaml as YamlError: "not valid YAML: \(yaml)"
        case DecodingError.keyNotFound(let key, _): "missing key '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            context.codingPath.map(\.stringValue).joined(separator: ".") + ": " + context.debugDescription
        default: "\(error)"
        }
    }

    /// The syntax error's line and column, else the line of the top-level key the decoding error is under.
    public static func location(of error: Error, in yaml: String, file: String) -> WamigrateError.Location {
        switch syntax(error) ?? error {
        case let deep as BoundedYAML.TooDeep:
            return .init(file: file, line: deep.line)
        case YamlError.scanner(_, _, let mark, _), YamlError.parser(_, _, let mark, _):
            return .init(file: file, line: mark.line, column: mark.column)
        case DecodingError.keyNotFound(let key, let context):
            return .init(file: file, line: line(ofKey: (context.codingPath.first ?? key).stringValue, in: yaml))
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            return .init(file: file, line: context.codingPath.first.flatMap { line(ofKey: $0.stringValue, in: yaml) })
        default:
            return .init(file: file)
        }
    }

    /// The YAML syntax error, also when YAMLDecoder wrapped it in a DecodingError.
    public static func syntax(_ error: Error) -> YamlError? {
        if let yaml = error as? YamlError { return yaml }
        if case DecodingError.dataCorrupted(let context) = error { return context.underlyingError as? YamlError }
        return nil
    }

    /// The 1-based line of a top-level `key:`.
    public static func line(ofKey key: String, in yaml: String) -> Int? {
        yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("\(key):") }.map { $0 + 1 }
    }

    /// The 1-based line where `text` first appears.
    public static func line(ofText text: String, in yaml: String) -> Int? {
        yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) }.map { $0 + 1 }
    }
}
