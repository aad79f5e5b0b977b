/// Campaign tables: the campaign and its settings, the texts it shows, one
/// message per contact (the plan, then the send log), and inbound replies.
public enum CampaignSchema {
    public static let sql = """
        CREATE TABLE campaigns (
          name TEXT PRIMARY KEY,
          created_at TEXT NOT NULL,
          settings_json TEXT NOT NULL,
          planned_at TEXT NOT NULL
        );
        CREATE TABLE campaign_texts (
          id INTEGER PRIMARY KEY,
          campaign TEXT NOT NULL,
          channel TEXT NOT NULL,
          language TEXT NOT NULL,
          version TEXT NOT NULL,
          file TEXT NOT NULL,
          text TEXT NOT NULL,
          link TEXT,                         -- the wa.me link of the Viber button (SMS: inside the text)
          button TEXT,                       -- the Viber button's caption
          business TEXT NOT NULL,            -- the name the text gives, and the Viber sender name
          segments INTEGER NOT NULL,         -- SMS segments (1 for Viber)
          UNIQUE (campaign, channel, language)
        );
        CREATE TABLE campaign_messages (
          id INTEGER PRIMARY KEY,
          campaign TEXT NOT NULL,
          contact_id TEXT NOT NULL,
          channel TEXT NOT NULL,             -- sms | viber
          address TEXT,                      -- +E164 or the Viber user id the message goes to
          region TEXT,
          zones TEXT,                        -- time zones the send time must suit, |-separated
          text_id INTEGER,
          send_at INTEGER,                   -- the slot (Unix s)
          cost REAL,
          state TEXT NOT NULL,               -- excluded | planned | sending | sent | failed | suppressed | in_doubt
          reason TEXT,
          idempotency_key TEXT NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          sending_at INTEGER,
          sent_at INTEGER,
          provider_id TEXT,
          error_code TEXT,
          delivery TEXT,                     -- delivered | undelivered | failed | seen (from status events)
          UNIQUE (campaign, contact_id)
        );
        CREATE INDEX campaign_messages_due ON campaign_messages(campaign, state, send_at);
        CREATE INDEX campaign_messages_provider ON campaign_messages(provider_id);
        CREATE TABLE inbound_messages (
          id INTEGER PRIMARY KEY,
          channel TEXT NOT NULL,
          provider_id TEXT NOT NULL,
          address TEXT NOT NULL,
          contact_id TEXT,
          received_at INTEGER NOT NULL,
          body TEXT NOT NULL,
          class TEXT NOT NULL,               -- opt_in | opt_out | help | other
          keyword TEXT,
          campaign TEXT,
          message_id INTEGER,                -- the campaign message it answers
          origin TEXT NOT NULL,              -- file:line it was read from
          UNIQUE (channel, provider_id)
        );
        """
}
