import Foundation
import WamigrateBase
import WamigrateTestSupport

/// A job, a webhook receiver and a sandbox that posts its status webhooks to it, for the wave tests.
struct WaveJob {
    static let env = [
        "WA_TOKEN": "sandbox-token", "WA_APP_SECRET": "sandbox-app-secret", "WA_VERIFY_TOKEN": "verify-me",
    ]

    let folder = TempFolder()
    let store: String
    let numbers: [String]
    /// Digits of the numbers the sandbox says are on WhatsApp.
    let registered: Set<String>

    /// `count` opted-in German mobiles with names; every `registeredEvery`-th is not on WhatsApp.
    /// `store`: a PostgreSQL job's URL instead of a SQLite file in the folder.
    init(count: Int, unnamed: Set<Int> = [], notRegisteredEvery: Int = 3, store: String? = nil) throws {
        numbers = (0..<count).map { "+49 1512 \(String(format: "%07d", 3_000_000 + $0))" }
        var lines = ["phone,name,consent"]
        var registered = Set<String>()
        for (index, number) in numbers.enumerated() {
            lines.append("\(number),\(unnamed.contains(index) ? "" : "Person \(index)"),yes")
            if index % notRegisteredEvery != 0 { registered.insert(number.filter(\.isNumber)) }
        }
        self.registered = registered
        let input = folder.write("in.csv", lines.joined(separator: "\n") + "\n")
        self.store = store ?? folder.file("job.sqlite")
        let run = try Binary.run(["run", "--store", self.store, "--default-region", "DE", input])
        guard run.status == 0 else { throw VerifyFixtures.FixtureError(message: run.stderr) }
    }

    var registeredFile: String { folder.write("registered.txt", registered.sorted().joined(separator: "\n") + "\n") }

    func serve() throws -> SandboxProcess {
        try SandboxProcess(
            command: ["webhook", "serve"],
            [
                "--store", store, "--app-secret-env", "WA_APP_SECRET", "--verify-token-env", "WA_VERIFY_TOKEN",
                "--process-every", "0.2",
            ], environment: Self.env)
    }

    func sandbox(webhooks receiver: SandboxProcess?, _ extra: [String] = []) throws -> SandboxProcess {
        var arguments = ["--registered", registeredFile, "--webhook-max-delay", "0.2"]
        if let receiver { arguments += ["--webhook-url", receiver.url] }
        return try SandboxProcess(arguments + extra)
    }

    func submitTemplate(_ sandbox: SandboxProcess) throws {
        let result = try Binary.run(
            [
                "templates", "submit", Binary.packageRoot + "/samples/wave/", "--store", store, "--endpoint", sandbox.url,
                "--waba-id", "123", "--token-env", "WA_TOKEN",
            ], environment: Self.env)
        guard result.status == 0 else { throw VerifyFixtures.FixtureError(message: result.stderr) }
    }

    func plan(_ extra: [String] = []) throws -> Binary.Result {
        try Binary.run(
            [
                "wave", "plan", "--store", store, "--name", "welcome", "--template", "wa_welcome", "--language", "de",
                "--list", "reconsent",
            ] + extra, environment: Self.env)
    }

    func sendArguments(_ sandbox: SandboxProcess, _ extra: [String] = []) -> [String] {
        [
            "wave", "send", "--store", store, "--name", "welcome", "--endpoint", sandbox.url, "--phone-number-id", "1234",
            "--token-env", "WA_TOKEN", "--marketing-messages",
        ] + extra
    }

    /// Starts `wave send` (not waiting for it) and returns once the sandbox has taken `count`
    /// template messages (at most 20 s), for tests that act mid-wave.
    func startSend(_ sandbox: SandboxProcess, after count: Int, _ extra: [String] = []) throws -> Process {
        let send = try Binary.start(sendArguments(sandbox, extra), environment: Self.env)
        let deadline = Date().addingTimeInterval(20)
        while try sandbox.messages(channel: "whatsapp").count < count, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        return send
    }

    /// Waits until the sandbox has posted every status webhook it scheduled (and they were answered).
    static func settle(_ sandbox: SandboxProcess, timeout: Double = 20) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let stats = try sandbox.json("/_sandbox/whatsapp")
            let webhooks = stats["webhooks"] as? [String: Any] ?? [:]
            // Nothing queued and every post answered: the receiver has what the sandbox sent.
            let posts = (webhooks["statuses"] as? Int ?? 0) + (webhooks["duplicates"] as? Int ?? 0)
            let answered = (webhooks["accepted"] as? Int ?? 0) + (webhooks["abandoned"] as? Int ?? 0)
            if (webhooks["pending"] as? Int) == 0, answered >= posts { return stats }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try sandbox.json("/_sandbox/whatsapp")
    }

    /// Template messages the sandbox took, per recipient digits.
    static func received(_ sandbox: SandboxProcess) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for message in try sandbox.messages(channel: "whatsapp") { counts[message["to"] as? String ?? "", default: 0] += 1 }
        return counts
    }

    /// A POST to the receiver with this signature header (nil: none); the status code.
    static func post(_ body: String, to receiver: SandboxProcess, signature: String?) throws -> Int {
        try receiver.request(body: Data(body.utf8), headers: signature.map { [("X-Hub-Signature-256", $0)] } ?? []).status
    }

    /// A body signed with the receiver's app secret.
    static func signed(_ body: String) -> String {
        WebhookSignature.header(body: Data(body.utf8), secret: Data("sandbox-app-secret".utf8))
    }
}
