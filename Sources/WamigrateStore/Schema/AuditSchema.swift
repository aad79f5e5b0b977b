/// The auditor's tables: each finished pipeline run's manifest, and a snapshot
/// of every contact as the run left it, so two runs can be compared after later
/// runs have replaced the stage tables. Names, emails and wa_ids are kept only
/// as salted digests: enough to tell that a field changed, not what it says.
/// (`run_contacts.address`, the contact's number or `viber:<id>`, is added by
/// the migration `v6-snapshot-address`; `masked` is empty in rows made since.)
public enum AuditSchema {
    public static let sql = """
        CREATE TABLE run_manifests (
          run_id INTEGER PRIMARY KEY REFERENCES runs(id),
          manifest_json TEXT NOT NULL
        );
        CREATE TABLE run_contacts (
          run_id INTEGER NOT NULL REFERENCES runs(id),
          contact_id TEXT NOT NULL,
          masked TEXT NOT NULL,               -- the masked number or Viber id, for samples
          list TEXT,                          -- import list, null before import ran
          reason TEXT,
          whatsapp TEXT,
          wa_id_digest TEXT,
          name_digest TEXT,
          email_digest TEXT,
          consent TEXT NOT NULL,              -- the ledger's state at import, else dedupe's
          consent_at INTEGER,
          language TEXT,
          region TEXT,
          number_type TEXT,
          tags TEXT,
          sources TEXT NOT NULL,
          row_count INTEGER NOT NULL,
          PRIMARY KEY (run_id, contact_id)
        ) WITHOUT ROWID;
        CREATE TABLE scenario_artifacts (     -- the last `scenarios convert --store`: one row per legacy artifact
          id INTEGER PRIMARY KEY,
          converted_at TEXT NOT NULL,
          artifact TEXT NOT NULL,
          kind TEXT NOT NULL,
          file TEXT NOT NULL,
          line INTEGER,
          status TEXT NOT NULL,               -- converted | needs_review | skipped
          category TEXT,
          changes INTEGER NOT NULL,
          losses INTEGER NOT NULL,
          lint_errors INTEGER NOT NULL,
          lint_warnings INTEGER NOT NULL
        );
        """
}
