import Foundation
import WamigrateBase
import WamigrateModel

/// A run's audit on PostgreSQL, as the SQLite store records it (`JobStore.finishRun`): the
/// manifest, and for a successful run after dedupe every contact's state (`RunSnapshot`).
extension PostgresJobStore {
    /// Records the audit of `run` inside `finishRun`'s transaction.
    func recordAudit(run: Int64, ok: Bool) throws {
        try recordManifest(run: run)
        let deduped = try connection.execute("SELECT COUNT(*) FROM stage_runs WHERE stage = $1", [Stage.dedupe])
        if ok, deduped.scalarInt ?? 0 > 0 { try recordSnapshot(run: run) }
        // A run first recorded ok and then failed (its output files, written beside the audit
        // step, could not be finished) keeps no snapshot.
        if !ok { try connection.execute("DELETE FROM run_contacts WHERE run_id = $1", [run]) }
    }

    private func recordManifest(run: Int64) throws {
        guard
            let manifest = try RunManifest.capture(
                from: PostgresAuditReader(connection: connection), run: run, books: try countBooks())
        else { return }
        try connection.execute(
            """
            INSERT INTO run_manifests (run_id, manifest_json) VALUES ($1, $2)
            ON CONFLICT (run_id) DO UPDATE SET manifest_json = EXCLUDED.manifest_json
            """, [run, try manifest.storedJSON])
    }

    /// The contacts' state streamed through a cursor, digested here (the server has no
    /// `wm_digest`) and copied into `run_contacts` a batch at a time (a copy and a fetch do not
    /// share a connection at once).
    private func recordSnapshot(run: Int64) throws {
        let digest = RunSnapshot.Digest(salt: salt)
        try connection.execute("DELETE FROM run_contacts WHERE run_id = $1", [run])
        let columns = [
            "run_id", "contact_id", "masked", "address", "list", "reason", "whatsapp", "wa_id_digest", "name_digest",
            "email_digest", "consent", "consent_at", "language", "region", "number_type", "tags", "sources",
            "row_count",
        ]
        // Read as the copy writes them: the digested columns carry the value to digest.
        let read = [
            "address", "list", "reason", "whatsapp", "wa_id", "name", "email", "consent", "consent_at",
            "language", "region", "number_type", "tags", "sources", "row_count",
        ]
        let digested: Set<String> = ["wa_id", "name", "email"]
        let runText = String(run)
        try connection.forEachBatch(
            """
            SELECT c.id AS contact_id, COALESCE(c.e164, 'viber:' || c.viber_id) AS address, l.list, l.reason,
              r.status AS whatsapp, r.wa_id, c.name, c.email, COALESCE(l.consent, c.consent) AS consent, c.consent_at,
              c.language, c.region, c.number_type, c.tags, c.sources, c.row_count
            FROM contacts c
            LEFT JOIN import_lists l ON l.contact_id = c.id
            LEFT JOIN registrations r ON r.e164 = c.e164
            ORDER BY c.id
            """, size: 50_000
        ) { rows in
            let id = rows.column("contact_id")
            let positions = read.map { (rows.column($0), digested.contains($0)) }
            let copy = try connection.startCopy(into: "run_contacts", columns: columns)
            for index in 0..<rows.count {
                try copy.add(runText)
                try copy.add(rows.string(index, id))
                try copy.add("")  // masked: what snapshots held before addresses were kept
                for (position, digestIt) in positions {
                    let value = rows.string(index, position)
                    try copy.add(digestIt ? value.map { digest($0) } : value)
                }
            }
            try copy.finish()
        }
    }
}
