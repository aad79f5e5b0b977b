import Crypto
import Foundation
import GRDB
import WamigrateBase

/// Copies every contact's state at the end of a run into `run_contacts`; the
/// run-to-run diff compares two such snapshots. Rows go in in the order of the
/// table's key (contact id), and the contact's address is stored as it is in
/// `contacts`: the diff masks the few it shows, instead of every run masking
/// every number (a libphonenumber parse each: a third of the old snapshot time).
public enum RunSnapshot {
    /// The fields a diff compares, as `run_contacts` columns. `list` is reported
    /// separately, as a move between outcome lists.
    public static let fields = [
        "reason", "whatsapp", "wa_id_digest", "name_digest", "email_digest", "consent", "consent_at", "language",
        "region", "number_type", "tags", "sources", "row_count",
    ]

    static func record(_ db: Database, run: Int64, salt: String) throws {
        // Keyed once and copied per value: keying HMAC for each of a million names
        // cost more than hashing them.
        let keyed = HMAC<SHA256>(key: SymmetricKey(data: Data(salt.utf8)))
        db.add(
            function: DatabaseFunction("wm_digest", argumentCount: 1, pure: true) { values in
                guard var text = String.fromDatabaseValue(values[0].databaseValue) else { return nil }
                var hmac = keyed
                text.withUTF8 { hmac.update(data: $0) }
                return Hex.string(hmac.finalize().prefix(8))
            })
        try db.execute(sql: "DELETE FROM run_contacts WHERE run_id = ?", arguments: [run])
        try db.execute(
            sql: """
                INSERT INTO run_contacts (run_id, contact_id, masked, address, list, reason, whatsapp, wa_id_digest, name_digest,
                  email_digest, consent, consent_at, language, region, number_type, tags, sources, row_count)
                SELECT ?, c.id, '', COALESCE(c.e164, 'viber:' || c.viber_id), l.list, l.reason, r.status, wm_digest(r.wa_id),
                  wm_digest(c.name), wm_digest(c.email), COALESCE(l.consent, c.consent), c.consent_at, c.language, c.region, c.number_type,
                  c.tags, c.sources, c.row_count
                FROM contacts c
                LEFT JOIN import_lists l ON l.contact_id = c.id
                LEFT JOIN registrations r ON r.e164 = c.e164
                ORDER BY c.id
                """, arguments: [run])
    }
}
