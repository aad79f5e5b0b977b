import Foundation
import GRDB
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// `bench-campaign`: a store with N contacts on the reconsent list (DE, US
/// in four zones, GB, UA and Viber-only users; 5 % opted out in the ledger),
/// then `campaign plan` run as a child process: wall time and its peak RSS.
public struct CampaignBenchmark {
    public var contacts: Int
    public var directory: String
    public var executable: String
    public var messages: [String]

    public init(contacts: Int, directory: String, executable: String, messages: [String]) {
        self.contacts = contacts
        self.directory = directory
        self.executable = executable
        self.messages = messages
    }

    public struct Figures: Codable, Sendable {
        public var contacts: Int
        public var seedSeconds: Double
        public var planSeconds: Double
        public var contactsPerSecond: Double
        public var peakRSSMegabytes: Double
        public var planned: Int
        public var excluded: [String: Int]
        public var days: Int
    }

    public func run(progress: (String) -> Void) throws -> Figures {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/campaign-bench.sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let seedStart = Date()
        try seed(path: path)
        let seedSeconds = Date().timeIntervalSince(seedStart)
        progress("seeded \(contacts) contacts in \(String(format: "%.1f", seedSeconds)) s")

        let child = try ChildRun.measure(
            executable: executable,
            arguments: ["campaign", "plan", "--store", path, "--name", "bench", "--json", "--fallback-zone", "Europe/Berlin"]
                + ["--start", "2026-11-23T06:00:00Z", "--message"] + messages, what: "the benchmark plan")
        let seconds = child.seconds
        let data = child.stdout
        let summary = try JSONDecoder.output.decode(PlanSummary.self, from: data)
        return Figures(
            contacts: contacts, seedSeconds: seedSeconds, planSeconds: seconds, contactsPerSecond: Double(contacts) / seconds,
            peakRSSMegabytes: child.peakRSSMegabytes, planned: summary.planned, excluded: summary.excluded,
            days: summary.byDay.count)
    }

    private func seed(path: String) throws {
        let store = try JobStore(path: path)
        let run = try store.beginRun(command: "bench-campaign", dryRun: false, configJSON: "{}")
        try store.write { db in
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO contacts (seq, id, e164, viber_id, region, number_type, consent, language, sources, row_count,
                      first_row, source_rows)
                    SELECT i, 'c' || printf('%016x', i),
                      CASE WHEN i % 10 = 9 THEN NULL
                           WHEN i % 10 < 5 THEN '+49151' || printf('%08d', i)
                           WHEN i % 10 < 7 THEN '+1' || (CASE i % 4 WHEN 0 THEN '415' WHEN 1 THEN '212' WHEN 2 THEN '312' ELSE '303' END)
                                || '5' || printf('%06d', i % 1000000)
                           WHEN i % 10 = 7 THEN '+447911' || printf('%06d', i % 1000000)
                           ELSE '+38067' || printf('%07d', i) END,
                      CASE WHEN i % 10 = 9 THEN 'v' || i || '==' END,
                      CASE i % 10 WHEN 9 THEN NULL WHEN 5 THEN 'US' WHEN 6 THEN 'US' WHEN 7 THEN 'GB' WHEN 8 THEN 'UA' ELSE 'DE' END,
                      'mobile', 'unknown', CASE i % 10 WHEN 8 THEN 'uk' WHEN 9 THEN 'de' END, 'bench', 1, i, 'bench:' || i
                    FROM n;
                    """, arguments: [contacts])
            try Schema.createDedupeIndexes(db)
            try db.execute(
                sql: """
                    INSERT INTO import_lists (list, contact_id, channel, status, reason)
                    SELECT 'reconsent', id, CASE WHEN e164 IS NULL THEN 'viber' ELSE 'sms' END, 'unknown',
                      CASE WHEN e164 IS NULL THEN 'viber_only' ELSE 'whatsapp_status_unknown' END FROM contacts;
                    INSERT INTO consent_events (address, contact_id, channel, event, at, recorded_at, method, source, ref)
                    SELECT COALESCE(e164, 'viber:' || viber_id), id, 'sms', 'opt_out', 1790000000 + seq, 1790000000,
                      'keyword_reply', 'keyword_reply:sms', 'bench:' || seq FROM contacts WHERE seq % 20 = 3;
                    INSERT INTO consent_events (address, contact_id, channel, event, at, recorded_at, method, source, ref)
                    SELECT COALESCE(e164, 'viber:' || viber_id), id, 'sms', 'opt_in', 1700000000 + seq, 1790000000,
                      'export', 'export:sms', 'bench-in:' || seq FROM contacts WHERE seq % 10 = 1;
                    """)
            try JobStore.recordStage(
                .import, run: run, started: Clock.isoNow(), fingerprint: "bench", rowsIn: contacts, rowsOut: contacts,
                details: ["bench": contacts], in: db)
        }
        try store.finishRun(run, ok: true, audit: false)
    }
}
