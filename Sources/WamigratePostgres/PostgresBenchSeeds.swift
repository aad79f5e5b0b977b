import Foundation
import WamigrateBase

/// Jobs the benchmarks start from on PostgreSQL, as the SQLite store's `BenchStores` seeds them.
extension PostgresJobStore {
    /// `contacts` opted-in contacts on the whatsapp_ready list and an approved template: what
    /// `bench-wave --postgres` plans and sends.
    public static func seedWaveBench(_ address: PostgresAddress, contacts: Int) throws {
        let store = try PostgresJobStore(address, command: "bench-wave")
        try store.write {
            try store.connection.run(
                """
                INSERT INTO contacts (seq, id, e164, region, number_type, consent, sources, row_count, first_row, source_rows)
                  SELECT i, 'c' || lpad(to_hex(i), 16, '0'), '+49151' || lpad(i::text, 8, '0'), 'DE', 'mobile', 'opted_in',
                    'bench', 1, i, 'bench:' || i FROM generate_series(1, \(contacts)) i;
                INSERT INTO import_lists (list, contact_id, channel, status, reason)
                  SELECT 'whatsapp_ready', id, 'whatsapp', 'on_whatsapp', NULL FROM contacts ORDER BY seq;
                INSERT INTO consent_events (address, contact_id, channel, event, at, recorded_at, method, source, ref)
                  SELECT e164, id, 'sms', 'opt_in', 1700000000, 1790000000, 'export', 'export:sms', 'bench:' || seq
                  FROM contacts;
                INSERT INTO template_submissions (waba_id, name, language, category, payload_sha256, state, template_id,
                  status, answered_category, sent_at, body_parameters)
                VALUES ('1', 'bench_template', 'en', 'UTILITY', '', 'created', '1', 'APPROVED', 'UTILITY', 0, '[]');
                """)
            for index in PostgresSchema.dedupeIndexes where index.table == "contacts" {
                try store.connection.run(
                    index.create(on: "contacts", named: index.name).replacingOccurrences(
                        of: "INDEX ", with: "INDEX IF NOT EXISTS "))
            }
            try store.analyze("contacts", "import_lists", "consent_events")
        }
    }
}
