/// Cloud API webhooks: every accepted body kept raw in an append-only inbox (a
/// redelivery, same bytes, is kept once), and the business-scoped user id
/// (BSUID) a status names, kept beside the number's wa_id.
public enum WebhookSchema {
    static let sql = """
        CREATE TABLE webhook_inbox (
          id INTEGER PRIMARY KEY,
          received_at INTEGER NOT NULL,       -- Unix seconds
          origin TEXT NOT NULL,               -- serve, or file:line of a replay
          signature TEXT NOT NULL,            -- verified | replayed (a saved body has no header left)
          sha256 TEXT NOT NULL UNIQUE,        -- of the raw body
          body TEXT NOT NULL,                 -- the raw body, as received
          processed_at INTEGER                -- when its messages and preferences reached the ledger
        );
        CREATE TRIGGER webhook_inbox_append_only_delete BEFORE DELETE ON webhook_inbox
          BEGIN SELECT RAISE(ABORT, 'the webhook inbox is append-only'); END;
        CREATE TRIGGER webhook_inbox_body_fixed BEFORE UPDATE OF received_at, origin, signature, sha256, body
          ON webhook_inbox
          BEGIN SELECT RAISE(ABORT, 'the webhook inbox is append-only'); END;
        ALTER TABLE registrations ADD COLUMN user_id TEXT;   -- BSUID, beside wa_id
        """
}
