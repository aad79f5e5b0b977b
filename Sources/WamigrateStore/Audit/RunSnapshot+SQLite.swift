import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

/// The snapshot on SQLite: one INSERT … SELECT in the order of the table's key (contact id),
/// the digests computed by `wm_digest`, the model's `RunSnapshot.Digest` as an SQL function.
extension RunSnapshot {
    static func record(_ db: Database, run: Int64, salt: String) throws {
        let digest = Digest(salt: salt)
        db.add(
            function: DatabaseFunction("wm_digest", argumentCount: 1, pure: true) { values in
                guard let text = String.fromDatabaseValue(values[0].databaseValue) else { return nil }
                return digest(text)
            })
        try db.execute(sql: "DELETE FROM run_contacts WHERE run_id = ?", arguments: [run])
        try db.execute(
            sql: """
                INSERT INTO run_contacts (run_id, contact_id, masked, address, list, reason, whatsapp, wa_id_digest,
                  name_digest, email_digest, consent, consent_at, language, region, number_type, tags, sources,
                  row_count)
                SELECT ?, c.id, '', COALESCE(c.e164, 'viber:' || c.viber_id), l.list, l.reason, r.status,
                  wm_digest(r.wa_id), wm_digest(c.name), wm_digest(c.email), COALESCE(l.consent, c.consent),
                  c.consent_at, c.language, c.region, c.number_type, c.tags, c.sources, c.row_count
                FROM contacts c
                LEFT JOIN import_lists l ON l.contact_id = c.id
                LEFT JOIN registrations r ON r.e164 = c.e164
                ORDER BY c.id
                """, arguments: [run])
    }
}
