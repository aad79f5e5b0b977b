import Foundation
import Testing
import WamigrateTestSupport

/// The samples through the whole pipeline against the sandbox, for report tests.
enum ReportFixtures {
    static let root = Binary.packageRoot
    static let samples = [root + "/samples/sms_subscribers.csv", root + "/samples/viber_subscribers.csv"]

    static func runArguments(_ folder: TempFolder, _ sandbox: SandboxProcess, store: String = "job.sqlite") -> [String] {
        [
            "run", "--store", folder.file(store), "--out", folder.file("out"), "--default-region", "DE",
            "--mapping", "generic", "--mapping", "viber", "--verifier", "contacts-api", "--endpoint", sandbox.url,
            "--user", "admin", "--password-env", "WA_PASSWORD", "--new-password-env", "WA_NEW_PASSWORD",
        ] + samples
    }

    static func runSamples(_ folder: TempFolder, _ sandbox: SandboxProcess, extra: [String] = []) throws -> Binary.Result {
        try Binary.run(runArguments(folder, sandbox) + extra, environment: VerifyFixtures.password)
    }

    static func report(_ store: String, _ out: String, _ extra: [String] = [], environment: [String: String] = [:]) throws
        -> Binary.Result
    {
        try Binary.run(["report", "--store", store, "--out", out] + extra, environment: environment)
    }

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Every number, raw phone cell, name and email in the store: what must not
    /// appear in masked output.
    static func secrets(_ store: String) throws -> [String] {
        let probe = try StoreProbe(store)
        var values = try probe.strings("SELECT e164 FROM contacts WHERE e164 IS NOT NULL")
        values += values.map { String($0.dropFirst()) }  // the digits alone
        values += try probe.strings(
            "SELECT DISTINCT phone_raw FROM input_rows WHERE length(phone_raw) >= 8 AND phone_raw GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9]*'"
        )
        values += try probe.strings("SELECT name FROM contacts WHERE name IS NOT NULL AND length(name) > 3")
        values += try probe.strings("SELECT email FROM contacts WHERE email IS NOT NULL")
        values += try probe.strings("SELECT viber_id FROM contacts WHERE viber_id IS NOT NULL")
        return Array(Set(values)).sorted()
    }

    /// The secrets found in `text`.
    static func leaks(_ secrets: [String], in text: String) -> [String] {
        secrets.filter { text.contains($0) }
    }
}
