import Foundation

/// Any JSON value, so stored JSON (a run's configuration, a mapping profile)
/// can sit inside a report as JSON rather than as an escaped string.
public indirect enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let value = try? c.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? c.decode(Double.self) {
            self = .number(value)
        } else if let value = try? c.decode(String.self) {
            self = .string(value)
        } else if let value = try? c.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let value): try c.encode(value)
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { try c.encode(Int64(value)) } else { try c.encode(value) }
        case .string(let value): try c.encode(value)
        case .array(let value): try c.encode(value)
        case .object(let value): try c.encode(value)
        }
    }

    /// Parses stored JSON text; text that is not JSON stays a string.
    public static func parse(_ text: String) -> JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
    }

    /// Secrets removed: values under keys that name a password, secret, token or
    /// key (but not `*_env`, which only names a variable), and credentials in URLs.
    public var withoutSecrets: JSONValue {
        switch self {
        case .object(let fields):
            var out: [String: JSONValue] = [:]
            for (key, value) in fields {
                let lower = key.lowercased()
                let secret = ["password", "secret", "token", "key", "auth"].contains { lower.contains($0) }
                out[key] = secret && !lower.hasSuffix("_env") && value != .null ? .string("(removed)") : value.withoutSecrets
            }
            return .object(out)
        case .array(let values): return .array(values.map(\.withoutSecrets))
        case .string(let text): return .string(Self.withoutCredentials(text))
        default: return self
        }
    }

    /// `https://user:pass@host/` → `https://host/`.
    public static func withoutCredentials(_ text: String) -> String {
        guard var parts = URLComponents(string: text), parts.scheme != nil, parts.user != nil || parts.password != nil
        else { return text }
        parts.user = nil
        parts.password = nil
        return parts.string ?? text
    }
}
