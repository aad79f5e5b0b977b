import Foundation

/// JSON as wamigrate writes it (pretty, sorted keys, unescaped slashes) and
/// decoding errors described by their path, e.g. `components[0].type`.
public enum JSONText {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    /// What a `DecodingError` says, without the values it saw.
    public static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context): "missing \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            "not valid JSON: \(context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription)"
        default: "\(error)"
        }
    }
}
