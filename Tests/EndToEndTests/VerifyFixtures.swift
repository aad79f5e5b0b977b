import Foundation
import WamigrateTestSupport

/// Exports and command lines shared by the verify and import tests.
enum VerifyFixtures {
    static let password = ["WA_PASSWORD": "secret", "WA_NEW_PASSWORD": "N3w-Passw0rd!"]

    /// `count` distinct German mobiles (opted in), then `fixedLines` Berlin landlines.
    static func contacts(_ folder: TempFolder, count: Int, fixedLines: Int = 0, name: String = "contacts.csv") -> String {
        var lines = ["phone,name,consent"]
        for index in 0..<count { lines.append("+49 1512 \(String(format: "%07d", index)),Person \(index),yes") }
        for index in 0..<fixedLines { lines.append("+49 30 \(String(format: "%07d", 2_000_000 + index)),Office \(index),yes") }
        return folder.write(name, lines.joined(separator: "\n") + "\n")
    }

    /// An export of these numbers, each opted in.
    static func optedIn(_ folder: TempFolder, _ numbers: [String], name: String = "in.csv") -> String {
        folder.write(name, (["phone,consent"] + numbers.map { "\($0),yes" }).joined(separator: "\n") + "\n")
    }

    static func verifyArguments(store: String, sandbox: SandboxProcess, extra: [String] = []) -> [String] {
        [
            "verify", "--store", store, "--verifier", "contacts-api", "--endpoint", sandbox.url, "--user", "admin",
            "--password-env", "WA_PASSWORD", "--new-password-env", "WA_NEW_PASSWORD",
        ] + extra
    }

    /// extract → normalize → dedupe with no verifier, so verify can be run on its own.
    /// `store`: a file name in `folder`, or a PostgreSQL URL.
    static func prepare(_ folder: TempFolder, input: String, store: String = "job.sqlite") throws -> String {
        let path = store.hasPrefix("postgres") ? store : folder.file(store)
        let result = try Binary.run(["run", "--store", path, "--default-region", "DE", input])
        guard result.status == 0 else { throw FixtureError(message: result.stderr) }
        return path
    }

    struct FixtureError: Error { var message: String }
}
