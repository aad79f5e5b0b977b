import GRDB

/// The job store's tables, as named GRDB migrations, all registered here (the
/// consent, campaign and audit tables' DDL sits beside this file, in this folder).
/// Each stage owns its tables (`Stage.ownedTables`): extract → sources, input_rows;
/// normalize → normalized_rows; dedupe → contacts, contact_rows, conflicts, wa_merges;
/// import → import_lists. Runs and stage_runs are the log. A migration is never
/// edited once released: a change is a new named migration at the end.
public enum Schema {
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-pipeline") { db in
            try db.execute(
                sql: """
                    CREATE TABLE job (
                      id INTEGER PRIMARY KEY CHECK (id = 1),
                      salt TEXT NOT NULL,
                      created_at TEXT NOT NULL
                    );
                    CREATE TABLE runs (
                      id INTEGER PRIMARY KEY,
                      command TEXT NOT NULL,
                      started_at TEXT NOT NULL,
                      finished_at TEXT,
                      status TEXT NOT NULL,              -- running | ok | failed
                      dry_run INTEGER NOT NULL,
                      tool_version TEXT NOT NULL,
                      phonenumber_library TEXT NOT NULL,
                      phonenumber_metadata TEXT NOT NULL,
                      config_json TEXT NOT NULL
                    );
                    CREATE TABLE stage_runs (
                      id INTEGER PRIMARY KEY,
                      run_id INTEGER NOT NULL REFERENCES runs(id),
                      stage TEXT NOT NULL,               -- extract | normalize | dedupe
                      started_at TEXT NOT NULL,
                      finished_at TEXT NOT NULL,
                      fingerprint TEXT NOT NULL,         -- inputs + configuration the results came from
                      rows_in INTEGER NOT NULL,
                      rows_out INTEGER NOT NULL,
                      details_json TEXT NOT NULL
                    );
                    CREATE TABLE sources (
                      id INTEGER PRIMARY KEY,
                      position INTEGER NOT NULL,
                      path TEXT NOT NULL,
                      name TEXT NOT NULL,
                      size INTEGER NOT NULL,
                      sha256 TEXT NOT NULL,
                      encoding TEXT NOT NULL,
                      delimiter TEXT NOT NULL,
                      profile TEXT NOT NULL,
                      profile_json TEXT NOT NULL,
                      columns_json TEXT NOT NULL,
                      channel TEXT NOT NULL,
                      default_region TEXT,
                      priority INTEGER NOT NULL,
                      rows INTEGER NOT NULL,
                      blank_lines INTEGER NOT NULL
                    );
                    CREATE TABLE input_rows (
                      id INTEGER PRIMARY KEY,
                      source_id INTEGER NOT NULL,
                      line INTEGER NOT NULL,             -- 1-based physical line the record starts on
                      record INTEGER NOT NULL,           -- 1-based data record, header excluded
                      phone_raw TEXT NOT NULL,
                      name TEXT,
                      email TEXT,
                      country_raw TEXT,
                      consent TEXT NOT NULL,             -- opted_in | opted_out | unknown
                      consent_raw TEXT,
                      consent_at INTEGER,                -- Unix seconds
                      seen_at INTEGER,
                      viber_id TEXT,
                      tags TEXT,
                      language TEXT,
                      flags TEXT                          -- ragged_short, ragged_long, bad_date
                    );
                    CREATE TABLE normalized_rows (
                      row_id INTEGER PRIMARY KEY,
                      outcome TEXT NOT NULL,             -- ok | rejected | viber_only
                      e164 TEXT,
                      region TEXT,
                      region_source TEXT,                -- plus | row_country | source_default | job_default | country_code
                      number_type TEXT,
                      extension TEXT,
                      extra_numbers TEXT,
                      flags TEXT,
                      reason TEXT
                    );
                    CREATE TABLE contacts (            -- indexes are built by dedupe after its bulk load
                      seq INTEGER PRIMARY KEY,
                      id TEXT NOT NULL,
                      e164 TEXT,
                      viber_id TEXT,
                      region TEXT,
                      number_type TEXT,
                      name TEXT,
                      name_row INTEGER,
                      email TEXT,
                      email_row INTEGER,
                      consent TEXT NOT NULL,
                      consent_at INTEGER,
                      consent_row INTEGER,
                      consent_rule TEXT,
                      language TEXT,
                      sources TEXT NOT NULL,
                      tags TEXT,
                      row_count INTEGER NOT NULL,
                      first_row INTEGER NOT NULL,
                      source_rows TEXT NOT NULL,         -- file:record of every row merged in, space-separated
                      conflict TEXT
                    );

                    CREATE TABLE contact_rows (
                      row_id INTEGER NOT NULL,
                      contact_id TEXT NOT NULL,
                      disposition TEXT NOT NULL          -- kept | merged
                    );

                    CREATE TABLE conflicts (
                      id INTEGER PRIMARY KEY,
                      contact_id TEXT NOT NULL,
                      kind TEXT NOT NULL,                -- name | email | consent
                      row_ids TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3-templates") { db in
            try db.execute(
                sql: """
                    CREATE TABLE template_submissions (
                      id INTEGER PRIMARY KEY,
                      waba_id TEXT NOT NULL,
                      name TEXT NOT NULL,
                      language TEXT NOT NULL,
                      category TEXT NOT NULL,          -- as submitted
                      payload_sha256 TEXT NOT NULL,
                      state TEXT NOT NULL,             -- sending | created | exists | refused
                      template_id TEXT,
                      status TEXT,                     -- the endpoint's: APPROVED | PENDING | REJECTED ...
                      answered_category TEXT,          -- the endpoint's category (may be re-categorized)
                      reason TEXT,
                      sent_at INTEGER NOT NULL,        -- Unix seconds, for the hourly creation limit
                      UNIQUE (waba_id, name, language)
                    );
                    """)
        }
        migrator.registerMigration("v2-verify-import") { db in
            try db.execute(
                sql: """
                    CREATE TABLE registrations (         -- the answer cache, one row per number
                      e164 TEXT PRIMARY KEY,
                      status TEXT NOT NULL,              -- on_whatsapp | not_on_whatsapp | unknown
                      answer TEXT NOT NULL,              -- the verifier's own word: valid, invalid, failed 131026, ...
                      wa_id TEXT,
                      checked_at INTEGER NOT NULL,       -- Unix seconds
                      verifier TEXT NOT NULL,            -- contacts-api | delivery-report
                      batch_id INTEGER,
                      reason TEXT,
                      final INTEGER NOT NULL             -- 1: settles the question until it ages out
                    );
                    CREATE TABLE verify_batches (
                      id INTEGER PRIMARY KEY,
                      state TEXT NOT NULL,               -- pending | sent | done | failed
                      size INTEGER NOT NULL,
                      force_check INTEGER NOT NULL,
                      attempts INTEGER NOT NULL DEFAULT 0,  -- times marked sent (one per process that sent it)
                      requests INTEGER NOT NULL DEFAULT 0,  -- HTTP requests, retries included
                      created_run INTEGER NOT NULL,
                      done_run INTEGER,
                      created_at TEXT NOT NULL,
                      sent_at TEXT,
                      done_at TEXT,
                      http_status INTEGER,
                      error TEXT
                    );
                    CREATE TABLE verify_items (
                      batch_id INTEGER NOT NULL,
                      e164 TEXT NOT NULL,
                      PRIMARY KEY (batch_id, e164)
                    );
                    CREATE INDEX verify_items_e164 ON verify_items(e164);
                    CREATE TABLE wa_merges (
                      id INTEGER PRIMARY KEY,
                      wa_id TEXT NOT NULL,
                      survivor_id TEXT NOT NULL,
                      merged_id TEXT NOT NULL,
                      merged_e164 TEXT NOT NULL,
                      rows INTEGER NOT NULL,
                      merged_at TEXT NOT NULL
                    );
                    CREATE TABLE import_lists (
                      list TEXT NOT NULL,                -- whatsapp_ready | reconsent | unreachable | rejected
                      contact_id TEXT,                   -- null for an input row rejected by normalize
                      row_id INTEGER,
                      channel TEXT,
                      status TEXT NOT NULL,
                      reason TEXT
                    );
                    """)
        }
        migrator.registerMigration("v4-consent-campaigns") { db in
            try db.execute(sql: ConsentSchema.sql)
            try db.execute(sql: CampaignSchema.sql)
            // The ledger event that made a contact whatsapp_ready: its consent evidence.
            try db.execute(sql: "ALTER TABLE import_lists ADD COLUMN consent_event INTEGER")
            // The consent state the ledger gave at import (every source counted).
            try db.execute(sql: "ALTER TABLE import_lists ADD COLUMN consent TEXT")
        }
        migrator.registerMigration("v5-audit") { db in
            try db.execute(sql: AuditSchema.sql)
        }
        migrator.registerMigration("v6-snapshot-address") { db in
            try db.execute(sql: "ALTER TABLE run_contacts ADD COLUMN address TEXT")
        }
        migrator.registerMigration("v7-ledger-covering-index") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS consent_events_address")
            try db.execute(sql: ConsentSchema.addressIndex)
        }
        migrator.registerMigration("v8-trace-indexes") { db in
            // trace reads one contact's messages; without this it scanned them all.
            try db.execute(sql: "CREATE INDEX campaign_messages_contact ON campaign_messages(contact_id)")
        }
        migrator.registerMigration("v9-webhook-inbox") { db in
            try db.execute(sql: WebhookSchema.sql)
        }
        migrator.registerMigration("v10-waves") { db in
            try db.execute(sql: WaveSchema.sql)
        }
        migrator.registerMigration("v11-job-settings") { db in
            // The job's default region, remembered from the command that last gave it.
            try db.execute(sql: "ALTER TABLE job ADD COLUMN default_region TEXT")
        }
        migrator.registerMigration("v12-numbering-review") { db in
            // Rows in review keep both candidate numbers ("+39… | +36…"); a source keeps the
            // most significant digits its phone column's scientific cells carry (the writer's
            // precision, which decides whether a short mantissa dropped zeros or digits).
            try db.execute(
                sql: """
                    ALTER TABLE normalized_rows ADD COLUMN candidates TEXT;
                    ALTER TABLE sources ADD COLUMN phone_sci_digits INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("v13-inbound-message-key") { db in
            // A message is the same message by sender, id, time and body (`message_key`), not
            // by the provider's id alone: two people's replies sharing an id are two messages.
            // Messages stored before keep their id as key (`id:<provider id>`).
            try db.execute(
                sql: """
                    CREATE TABLE inbound_messages_keyed (
                      id INTEGER PRIMARY KEY,
                      channel TEXT NOT NULL,
                      provider_id TEXT NOT NULL,
                      message_key TEXT NOT NULL,
                      address TEXT NOT NULL,
                      contact_id TEXT,
                      received_at INTEGER NOT NULL,
                      body TEXT NOT NULL,
                      class TEXT NOT NULL,
                      keyword TEXT,
                      campaign TEXT,
                      message_id INTEGER,
                      origin TEXT NOT NULL,
                      UNIQUE (channel, message_key)
                    );
                    INSERT INTO inbound_messages_keyed (id, channel, provider_id, message_key, address, contact_id, received_at,
                      body, class, keyword, campaign, message_id, origin)
                    SELECT id, channel, provider_id, 'id:' || provider_id, address, contact_id, received_at, body, class,
                      keyword, campaign, message_id, origin FROM inbound_messages;
                    DROP TABLE inbound_messages;
                    ALTER TABLE inbound_messages_keyed RENAME TO inbound_messages;
                    """)
        }
        migrator.registerMigration("v14-user-identities") { db in
            try db.execute(sql: IdentitySchema.sql)
        }
        // The limit a wave last ran under and where it came from (`--tier`, the platform, none),
        // set by plan and again by each send; the report shows it.
        migrator.registerMigration("v15-wave-limit-source") { db in
            try db.execute(
                sql: """
                    ALTER TABLE waves ADD COLUMN tier_source TEXT;
                    UPDATE waves SET tier_source = COALESCE(json_extract(settings_json, '$.tierSource'),
                      CASE WHEN tier IS NULL THEN 'none' ELSE '--tier' END);
                    """)
        }
        // The Debian package behind the run's libphonenumber, found by Core (dpkg-query) when the
        // run begins; the manifest used to ask dpkg from inside the store, at the run's end.
        migrator.registerMigration("v16-run-phone-package") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN phonenumber_package TEXT")
        }
        migrator.registerMigration("v17-wave-rollout") { db in
            try db.execute(sql: RolloutSchema.sql)
        }
        // Each table's generation, bumped by every write transaction that changes it, and
        // the report's query results kept with the generations they were read at (`QueryMemo`).
        migrator.registerMigration("v18-report-memo") { db in
            try db.execute(
                sql: """
                    CREATE TABLE table_generations (name TEXT PRIMARY KEY, generation INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE report_memo (query TEXT PRIMARY KEY, result_json TEXT NOT NULL);
                    """)
        }
        return migrator
    }

    /// Dedupe's indexes: dropped before its bulk load and built once after it,
    /// because inserting a million rows in hash order into live B-trees is what
    /// made dedupe grow faster than its input.
    public static let dedupeIndexes = [
        "CREATE UNIQUE INDEX IF NOT EXISTS contacts_id ON contacts(id)",
        "CREATE UNIQUE INDEX IF NOT EXISTS contacts_e164 ON contacts(e164)",
        "CREATE INDEX IF NOT EXISTS contacts_viber ON contacts(viber_id)",
        "CREATE UNIQUE INDEX IF NOT EXISTS contact_rows_row ON contact_rows(row_id)",
        "CREATE INDEX IF NOT EXISTS contact_rows_contact ON contact_rows(contact_id)",
        "CREATE INDEX IF NOT EXISTS conflicts_contact ON conflicts(contact_id)",
    ]

    static func dropDedupeIndexes(_ db: Database) throws {
        for name in [
            "contacts_id", "contacts_e164", "contacts_viber", "contact_rows_row", "contact_rows_contact", "conflicts_contact",
        ] {
            try db.execute(sql: "DROP INDEX IF EXISTS \(name)")
        }
    }

    static func createDedupeIndexes(_ db: Database) throws {
        for sql in dedupeIndexes { try db.execute(sql: sql) }
    }
}
