/// WhatsApp waves: a template sent through the Cloud API to the people whose consent
/// counts, one message per person, paced by the messaging limit; the statuses the
/// webhooks report, one row per (message, status); and what each template's
/// review and category webhooks said.
public enum WaveSchema {
    static let sql = """
        CREATE TABLE waves (
          name TEXT PRIMARY KEY,
          template TEXT NOT NULL,
          language TEXT NOT NULL,
          category TEXT NOT NULL,            -- MARKETING | UTILITY | AUTHENTICATION, from the template record
          list TEXT NOT NULL,                -- the import list the audience came from
          tier INTEGER,                      -- unique recipients per rolling 24 h (NULL: unlimited)
          settings_json TEXT NOT NULL,
          planned_at INTEGER NOT NULL
        );
        CREATE TABLE wave_messages (
          id INTEGER PRIMARY KEY,
          wave TEXT NOT NULL,
          contact_id TEXT NOT NULL,
          e164 TEXT,
          region TEXT,
          day INTEGER,                       -- the day of the tier schedule it fits in (0-based)
          parameters_json TEXT,              -- the template's body parameters, in order
          cost REAL,
          state TEXT NOT NULL,               -- excluded | planned | sending | sent | failed | suppressed | in_doubt
          reason TEXT,
          idempotency_key TEXT NOT NULL UNIQUE, -- sent as biz_opaque_callback_data, echoed by status webhooks
          attempts INTEGER NOT NULL DEFAULT 0,
          sending_at INTEGER,
          sent_at INTEGER,
          wamid TEXT,
          error_code TEXT,
          delivery TEXT,                     -- sent | failed | delivered | read: the latest meaningful status
          delivery_at INTEGER,
          UNIQUE (wave, contact_id)
        );
        CREATE INDEX wave_messages_state ON wave_messages(wave, state, id);
        CREATE INDEX wave_messages_wamid ON wave_messages(wamid);
        CREATE INDEX wave_messages_contact ON wave_messages(contact_id);
        CREATE INDEX wave_messages_sending ON wave_messages(sending_at);
        CREATE TABLE message_statuses (
          id INTEGER PRIMARY KEY,
          inbox_id INTEGER NOT NULL,         -- the webhook body it came in
          wamid TEXT NOT NULL,
          status TEXT NOT NULL,              -- sent | delivered | read | failed
          at INTEGER NOT NULL,
          recipient TEXT NOT NULL,           -- wa_id digits
          user_id TEXT,                      -- BSUID
          error_codes TEXT NOT NULL,         -- comma-separated, '' when none
          error_title TEXT,
          callback TEXT,                     -- biz_opaque_callback_data (our idempotency key)
          UNIQUE (wamid, status, at, error_codes)
        );
        CREATE INDEX message_statuses_recipient ON message_statuses(recipient);
        CREATE INDEX message_statuses_callback ON message_statuses(callback);
        ALTER TABLE template_submissions ADD COLUMN body_parameters TEXT;  -- JSON array of the body's variables
        ALTER TABLE template_submissions ADD COLUMN status_at INTEGER;      -- when a webhook last changed status/category
        CREATE INDEX registrations_wa_id ON registrations(wa_id);  -- webhook statuses name a wa_id
        CREATE TABLE webhook_spools (        -- how far each receiver's spool was drained into webhook_inbox
          path TEXT PRIMARY KEY,
          last_id INTEGER NOT NULL
        );
        UPDATE webhook_inbox SET processed_at = NULL;  -- statuses are now kept per body: process every body once more
        """
}
