import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

/// What the benchmarks need from a SQLite store besides the commands they time: seeded
/// stores and counts read back.
extension JobStore {
    /// A store of `contacts` WhatsApp-ready, opted-in contacts and an approved template (`bench_template`):
    /// what the wave benchmark plans and sends.
    public static func seedWaveBench(path: String, contacts: Int) throws {
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

    /// A store of `contacts` contacts on the re-consent list in several markets, some opted out,
    /// some opted in, with import recorded: what the campaign benchmark plans.
    public static func seedCampaignBench(path: String, contacts: Int) throws {
        let store = try JobStore(path: path)
        let run = try store.beginRun(
            command: "bench-campaign", dryRun: false, configJSON: "{}", phoneLibrary: "none (seeded)",
            phonePackage: "none (seeded)",
            phoneMetadata: "none (seeded)")
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

    /// Bodies the receiver spooled, in the inbox, and statuses kept, read without taking the writer lock.
    public static func webhookCounts(store path: String) throws -> (spooled: Int, inbox: Int, statuses: Int) {
        var config = Configuration()
        config.readonly = true
        let spool = try DatabaseQueue(path: WebhookSpool.path(forStore: path), configuration: config)
        let spooled = try spool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM spool") ?? 0 }
        let job = try DatabaseQueue(path: path, configuration: config)
        let (inbox, statuses) = try job.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM webhook_inbox") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM message_statuses") ?? 0
            )
        }
        return (spooled, inbox, statuses)
    }

    /// The contact in the middle of the store's order (what `trace` is timed on).
    public func middleContactID() throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT id FROM contacts WHERE seq = (SELECT MAX(seq) / 2 FROM contacts)")
        }
    }

    /// The configuration the last run recorded (JSON).
    public func lastRunConfigJSON() throws -> String? {
        try read { try String.fetchOne($0, sql: "SELECT config_json FROM runs ORDER BY id DESC LIMIT 1") }
    }

    /// Every input row with what normalize stored for it, in no set order.
    public func forEachNormalizedCell(_ visit: (NormalizedCell) throws -> Void) throws {
        try read { db in
            let cursor = try NormalizedCell.fetchCursor(
                db,
                sql: """
                    SELECT r.phone_raw AS phone, r.country_raw AS country, r.source_id, n.e164, n.number_type
                    FROM input_rows r JOIN normalized_rows n ON n.row_id = r.id
                    """)
            while let cell = try cursor.next() { try visit(cell) }
        }
    }
}

extension NormalizedCell: FetchableRecord {
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.storeColumns
}

extension JobStore {
    /// A second approved template for the rollout benchmark's variant B.
    public static func seedRolloutBenchTemplate(path: String) throws {
        let store = try JobStore(path: path, command: "bench-rollout")
        try store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO template_submissions (waba_id, name, language, category, payload_sha256, state, template_id,
                      status, answered_category, sent_at, body_parameters)
                    VALUES ('1', 'bench_template_b', 'en', 'UTILITY', '', 'created', '2', 'APPROVED', 'UTILITY', 0, '[]');
                    """)
        }
    }

    /// Every planned message of wave `wave` sent an hour before `now`, with what its webhooks
    /// would have said, drawn from its id: 1 in 50 failed (131026, 131049 or 131050 in turn),
    /// the rest delivered, 40 % (variant B 45 %) read; 1 in 20 people replied and 1 in 200
    /// typed STOP. Every cohort released: what `wave status` reads at the end of a rollout.
    public static func seedRolloutOutcomes(path: String, wave: String, now: Int64) throws {
        let store = try JobStore(path: path, command: "bench-rollout")
        let sent = now - 3_600
        try store.write { db in
            try db.execute(
                sql: """
                    UPDATE wave_messages SET state = CASE WHEN id % 50 = 7 THEN 'failed' ELSE 'sent' END,
                      sent_at = ?, sending_at = ?, wamid = 'wamid.bench' || id,
                      delivery = CASE WHEN id % 50 = 7 THEN 'failed'
                        WHEN (id * 7919) % 100 < CASE variant WHEN 'B' THEN 45 ELSE 40 END THEN 'read' ELSE 'delivered' END,
                      error_code = CASE WHEN id % 50 = 7 THEN CASE id % 3 WHEN 0 THEN '131026' WHEN 1 THEN '131049'
                        ELSE '131050' END END
                    WHERE wave = ? AND state = 'planned';
                    """, arguments: [sent, sent, wave])
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO registrations (e164, status, answer, wa_id, checked_at, verifier, final)
                    SELECT e164, 'on_whatsapp', 'valid', substr(e164, 2), ? - 86400, 'contacts-api', 1 FROM contacts;
                    INSERT INTO inbound_messages (channel, provider_id, message_key, address, contact_id, received_at, body,
                      class, keyword, campaign, message_id, origin)
                    SELECT 'whatsapp', 'wamid.in' || id, 'bench' || id, e164, contact_id, ? + 60, 'thanks', 'other', NULL,
                      NULL, NULL, 'bench' FROM wave_messages WHERE wave = ? AND state = 'sent' AND id % 20 = 3;
                    INSERT INTO consent_events (address, contact_id, channel, event, at, recorded_at, method, source, ref)
                    SELECT e164, contact_id, 'whatsapp', 'opt_out', ? + 120, ? + 120, 'keyword_reply', 'keyword_reply:whatsapp',
                      'bench-stop:' || id FROM wave_messages WHERE wave = ? AND state = 'sent' AND id % 200 = 11;
                    UPDATE waves SET released = (SELECT MAX(cohort) + 1 FROM wave_messages WHERE wave = ?) WHERE name = ?;
                    """, arguments: [sent, sent, wave, sent, sent, wave, wave, wave])
        }
    }
}
