import Foundation

/// Secrets come only from environment variables. Reading one tells apart the two ways it
/// can be missing, so a user who exported an empty value is not told to set it.
public enum SecretVariable {
    /// What is wrong with `name` as a secret, or nil when it holds one.
    public static func problem(_ name: String, in environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        guard let value = environment[name] else { return "the variable \(name) is not set" }
        return value.isEmpty ? "the variable \(name) is set but empty" : nil
    }

    /// The secret in `name`, or a `code` error saying which way it is missing, with `hint`.
    public static func value(
        _ name: String, code: WamigrateError.Code = .usage, hint: String,
        in environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        if let problem = problem(name, in: environment) { throw WamigrateError(code, problem, hint: hint) }
        return environment[name]!
    }
}
