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

    /// Every number, raw phone cell, name, email and Viber id in the store: what must not
    /// appear in masked output. Read as the store's contacts, and every input row as an
    /// unmasked `trace` of `file:record` shows it.
    static func secrets(_ store: String) throws -> [String] {
        let reader = try JobReader(store)
        let contacts = try reader.contacts()
        let viberOnly = try reader.viberOnly()
        var values = contacts.compactMap(\.e164)
        values += values.map { String($0.dropFirst()) }  // the digits alone
        values += (contacts.map(\.name) + viberOnly.map(\.name)).compactMap { $0 }.filter { $0.count > 3 }
        values += contacts.compactMap(\.email)
        values += (contacts.map(\.viberID) + viberOnly.map(\.viberID)).compactMap { $0 }
        // Every input row's phone cell, file by file, until a record is past the file's end.
        let pointers = (contacts.compactMap(\.sourceRows) + viberOnly.compactMap(\.sourceRows)).flatMap {
            $0.split(separator: " ")
        }
        let files = Set(pointers.compactMap { $0.split(separator: ":").first.map(String.init) })
            .union(try reader.rejectedRows().map(\.sourceFile))
        for file in files.sorted() {
            var record = 1
            while let trace = try? ToolReadout.trace(store, "\(file):\(record)") {
                values += trace["source_rows"].array.compactMap { $0["raw"].string }.filter { raw in
                    !raw.hasPrefix("viber:") && raw.count >= 8 && raw.range(of: "[0-9]{6}", options: .regularExpression) != nil
                }
                record += 1
            }
        }
        return Array(Set(values)).sorted()
    }

    /// The secrets found in `text`.
    static func leaks(_ secrets: [String], in text: String) -> [String] {
        secrets.filter { text.contains($0) }
    }
}
