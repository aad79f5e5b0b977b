import Foundation
import GRDB
import WamigrateBase
import WamigrateHTTP
import WamigrateStore

/// `bench-wave`: a store with N opted-in contacts on the whatsapp_ready list and an
/// approved template, a sandbox child, then `wave plan` and `wave send --rate R` as
/// children: messages per second against the cap, and the most the sandbox took in
/// any one second (never above the cap).
public struct WaveBenchmark {
    public var contacts: Int
    public var rate: Double
    public var directory: String
    public var executable: String

    public init(contacts: Int, rate: Double, directory: String, executable: String) {
        self.contacts = contacts
        self.rate = rate
        self.directory = directory
        self.executable = executable
    }

    public struct Figures: Codable, Sendable {
        public var contacts: Int
        public var cap: Double
        public var sent: Int
        public var seconds: Double
        public var perSecond: Double
        public var shareOfCap: Double
        public var sandboxMaxInOneSecond: Int
        public var sandboxMessages: Int
        public var mostToOneRecipient: Int
    }

    struct SendSummary: Decodable {
        var sent: Int
        var seconds: Double
        var perSecond: Double
    }

    public func run(progress: (String) -> Void) throws -> Figures {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/wave-bench.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try seed(path: path)
        let sandbox = try SandboxChild(executable: executable, arguments: ["--any-template"])
        _ = try ChildRun.measure(
            executable: executable,
            arguments: [
                "wave", "plan", "--store", path, "--name", "bench", "--template", "bench_template", "--language", "en",
                "--keep-backups", "0",
            ], what: "wave plan")
        progress("planned \(contacts) messages; sending at \(Int(rate))/s to \(sandbox.url)")
        setenv("BENCH_TOKEN", "sandbox-token", 1)
        let send = try ChildRun.measure(
            executable: executable,
            arguments: [
                "wave", "send", "--store", path, "--name", "bench", "--endpoint", sandbox.url, "--phone-number-id", "1",
                "--token-env", "BENCH_TOKEN", "--rate", String(rate), "--json", "--keep-backups", "0",
            ], what: "wave send")
        let summary = try JSONDecoder.output.decode(SendSummary.self, from: send.stdout)
        let response = try HTTPClient().send(HTTPRequest(url: sandbox.url + "/_sandbox/whatsapp"))
        let stats = (try JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
        return Figures(
            contacts: contacts, cap: rate, sent: summary.sent, seconds: summary.seconds, perSecond: summary.perSecond,
            shareOfCap: summary.perSecond / rate, sandboxMaxInOneSecond: stats["maxInOneSecond"] as? Int ?? -1,
            sandboxMessages: stats["messages"] as? Int ?? -1, mostToOneRecipient: stats["mostToOneRecipient"] as? Int ?? -1)
    }

    private func seed(path: String) throws {
        let store = try JobStore(path: path, command: "bench-wave")
        try store.write { db in
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO contacts (seq, id, e164, region, number_type, consent, sources, row_count, first_row,
                      source_rows)
                    SELECT i, 'c' || printf('%016x', i), '+49151' || printf('%08d', i), 'DE', 'mobile', 'opted_in', 'bench', 1,
                      i, 'bench:' || i FROM n;
                    """, arguments: [contacts])
            try Schema.createDedupeIndexes(db)
            try db.execute(
                sql: """
                    INSERT INTO import_lists (list, contact_id, channel, status, reason)
                      SELECT 'whatsapp_ready', id, 'whatsapp', 'on_whatsapp', NULL FROM contacts;
                    INSERT INTO consent_events (address, contact_id, channel, event, at, recorded_at, method, source, ref)
                      SELECT e164, id, 'sms', 'opt_in', 1700000000, 1790000000, 'export', 'export:sms', 'bench:' || seq
                      FROM contacts;
                    INSERT INTO template_submissions (waba_id, name, language, category, payload_sha256, state, template_id,
                      status, answered_category, sent_at, body_parameters)
                    VALUES ('1', 'bench_template', 'en', 'UTILITY', '', 'created', '1', 'APPROVED', 'UTILITY', 0, '[]');
                    """)
        }
    }
}
