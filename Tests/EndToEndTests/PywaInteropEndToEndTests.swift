import Foundation
import Testing
import WamigrateTestSupport

/// The sandbox checked with an independent Cloud API client, pywa (contracts §9.7), through
/// `Tests/Interop/pywa_check.py`: every status webhook a wave and pywa's own sends make, as the
/// job's receiver kept it (on SQLite and on PostgreSQL), is parsed by pywa into a typed update,
/// and pywa's client calls (templates, template and text sends, read receipts, typing, BSUID
/// recipients, errors) behave as documented.
@Suite("End to end: the sandbox against pywa", .serialized)
struct PywaInteropEndToEndTests {
    /// The interpreter with pywa: `WAMIGRATE_INTEROP_PYTHON`, or the venv the install script makes.
    static var python: String {
        ProcessInfo.processInfo.environment["WAMIGRATE_INTEROP_PYTHON"] ?? Binary.packageRoot + "/.interop-venv/bin/python"
    }

    static let script = Binary.packageRoot + "/Tests/Interop/pywa_check.py"

    @Test(arguments: PostgresEndToEnd.engines)
    func aWaveAndPywasOwnSendsGiveWebhooksPywaParsesAndItsCallsBehaveAsDocumented(_ engine: String) throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.python),
            "no Python with pywa at \(Self.python): run ./scripts/install-deps.sh --test (or set WAMIGRATE_INTEROP_PYTHON)")
        let database = try PostgresEndToEnd.database(engine)
        defer { withExtendedLifetime(database) {} }
        // Every third number is not on WhatsApp: failed statuses.
        let job = try WaveJob(count: 9, store: database?.address.url)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver)
        try job.submitTemplate(sandbox)  // wa_welcome, MARKETING, one body parameter
        #expect(try job.plan(["--param", "1=name"]).status == 0)
        let send = try Binary.run(job.sendArguments(sandbox, ["--json"]), environment: WaveJob.env)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stdout.contains("\"sent\" : 9"), "\(send.stdout)")
        _ = try WaveJob.settle(sandbox)

        // pywa as a client of the same sandbox: a UTILITY template, text and a BSUID send add their statuses.
        let someone = try #require(job.registered.sorted().first)
        let client = try Self.check(["client", sandbox.url, "--waba-id", "123", "--phone-id", "1234", "--to", someone])
        let calls = client["calls"] as? [[String: Any]] ?? []
        for call in calls where call["ok"] as? Bool != true {
            Issue.record("pywa: \(call["call"] ?? "?") failed: \(call["detail"] ?? "")")
        }
        #expect(calls.count >= 13 && client["passed"] as? Int == calls.count, "\(client)")
        let stats = try WaveJob.settle(sandbox)
        let webhooks = stats["webhooks"] as? [String: Any] ?? [:]
        #expect(webhooks["pending"] as? Int == 0 && webhooks["abandoned"] as? Int == 0, "\(webhooks)")
        _ = receiver.output()  // SIGTERM: the receiver's last pass

        let bodies = try Self.keptBodies(job.store).sorted()
        #expect(bodies.count == webhooks["statuses"] as? Int, "every status kept once")
        #expect(bodies.filter { $0.contains(#""status":"failed""#) }.count == 9 - job.registered.count)
        for category in ["marketing", "utility", "service"] {
            #expect(bodies.contains { $0.contains(#""category":"\#(category)""#) }, "a \(category) status")
        }
        let lines = bodies.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n") + "\n"
        let file = job.folder.write("webhooks.jsonl", lines)
        // As a pywa client of WABA 123 and phone number 1234: an update for another account is filtered out.
        let updates = try Self.check(["updates", file, "--waba-id", "123", "--phone-id", "1234"])
        #expect(updates["total"] as? Int == bodies.count, "\(updates)")
        #expect(updates["parsed"] as? Int == bodies.count, "every webhook parsed: \(updates["failures"] ?? "")")
        #expect((updates["order_violations"] as? [Any])?.isEmpty == true, "sent < delivered < read: \(updates)")
        #expect(sandbox.stop() == 0)
    }

    /// The bodies the job's receiver kept, as it got them: on SQLite the receiver's last pass took
    /// every spooled body into the job's inbox; on PostgreSQL each is read back from the inbox
    /// the way an auditor would (`psql`), hex-encoded so that no byte changes on the way.
    static func keptBodies(_ store: String) throws -> [String] {
        guard store.hasPrefix("postgres") else {
            let reader = try JobReader(store)
            let bodies = try reader.store.inboxBodies().map { String(decoding: $0.body, as: UTF8.self) }
            #expect(try reader.spooled() == bodies.count, "every body spooled once")
            return bodies
        }
        return try Auditor.recompute("SELECT encode(body, 'hex') FROM webhook_inbox ORDER BY id", in: store).map { row in
            let hex = Array((row.first ?? "").utf8)
            let bytes = stride(from: 0, to: hex.count - 1, by: 2).compactMap {
                UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Runs `pywa_check.py` with these arguments; its stdout is one JSON object.
    static func check(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        let out = Pipe()
        let errors = TempFolder()
        let errPath = errors.write("stderr", "")
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            Issue.record(
                "pywa_check.py \(arguments.first ?? "") printed no JSON (exit \(process.terminationStatus)): \(errors.read("stderr"))"
            )
            return [:]
        }
        return object
    }
}
