/// WhatsApp identities besides the phone number (contracts §9.1): business-scoped user
/// ids (BSUID) and the numbers and usernames they were seen with, and their changes.
enum IdentitySchema {
    static let sql = """
        CREATE TABLE user_ids (                -- one row per (BSUID, number it was seen with)
          user_id TEXT NOT NULL,               -- BSUID: ISO country code, '.', alphanumerics
          wa_id TEXT NOT NULL DEFAULT '',      -- digits of the number seen with it; '' when none was
          parent_user_id TEXT,
          username TEXT,                       -- shown to people, never a key
          first_seen INTEGER NOT NULL,
          last_seen INTEGER NOT NULL,
          source TEXT NOT NULL,                -- status | message | contacts | preference | system
          PRIMARY KEY (user_id, wa_id)
        );
        CREATE INDEX user_ids_wa_id ON user_ids(wa_id);
        CREATE TABLE user_id_changes (         -- system messages: user_changed_user_id, user_changed_number
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          previous_user_id TEXT,
          user_id TEXT,
          previous_wa_id TEXT,
          wa_id TEXT,
          at INTEGER,
          origin TEXT NOT NULL,
          UNIQUE (kind, previous_user_id, user_id, previous_wa_id, wa_id, at)
        );
        CREATE INDEX user_id_changes_previous ON user_id_changes(previous_user_id);
        CREATE INDEX user_id_changes_current ON user_id_changes(user_id);
        CREATE TABLE platform_limits (         -- the messaging limit as the platform announces it (§9.3)
          id INTEGER PRIMARY KEY,
          field TEXT NOT NULL,                 -- business_capability_update | phone_number_quality_update
          event TEXT,                          -- ONBOARDING | THROUGHPUT_UPGRADE | …
          tier INTEGER,                        -- unique recipients per 24 h; NULL: unlimited
          raw TEXT NOT NULL,                   -- the value as sent: -1, 2000, TIER_2K, TIER_UNLIMITED
          at INTEGER NOT NULL,
          origin TEXT NOT NULL,
          UNIQUE (field, raw, at)
        );
        ALTER TABLE template_submissions ADD COLUMN quality TEXT;  -- GREEN | YELLOW | RED | UNKNOWN (quality webhooks)
        """
}
