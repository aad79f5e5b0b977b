import Foundation

/// The plain script people write for the same four steps (`Tests/Benchmarks/plain_pipeline.py`:
/// csv, `phonenumbers` pinned to the metadata the tool ships, sqlite3), run on the
/// benchmark's files with the same default region. Only its speed compares: it keeps wrong
/// numbers and drops real ones (see that folder's README).
public struct PythonBaseline: Codable, Sendable {
    public var seconds: Double
    public var contacts: Int
    public var rejected: Int
    public var steps: [String: Double]
    public var phonenumbers: String

    struct Output: Decodable {
        var contacts: Int
        var rejected: Int
        var seconds: [String: Double]
        var phonenumbers: String
    }

    public static func run(
        python: String, script: String, sms: String, viber: String, out: String, region: String
    ) throws -> PythonBaseline {
        let child = try ChildRun.measure(
            executable: python,
            arguments: [script, "--sms", sms, "--viber", viber, "--out", out, "--default-region", region],
            what: "the plain Python script")
        let output = try JSONDecoder().decode(Output.self, from: child.stdout)
        return PythonBaseline(
            seconds: child.seconds, contacts: output.contacts, rejected: output.rejected, steps: output.seconds,
            phonenumbers: output.phonenumbers)
    }
}
