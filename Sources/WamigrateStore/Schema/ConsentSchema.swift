/// The consent ledger's table: append-only (triggers refuse UPDATE and DELETE),
/// one row per opt-in or opt-out a person gave, with where it came from.
public enum ConsentSchema {
    public static let sql = """
        CREATE TABLE consent_events (
          id INTEGER PRIMARY KEY,
          address TEXT NOT NULL,             -- +E164, or viber:<user id>
          contact_id TEXT,                   -- the job's contact when known at recording time
          channel TEXT NOT NULL,             -- sms | viber | whatsapp
          event TEXT NOT NULL,               -- opt_in | opt_out
          at INTEGER,                        -- when the person acted (Unix s); null when the source gave no date
          recorded_at INTEGER NOT NULL,
          method TEXT NOT NULL,              -- export | campaign_reply | keyword_reply | gateway_unsubscribed
          source TEXT NOT NULL,              -- method:channel, what the job's consent policy names
          ref TEXT NOT NULL,                 -- what makes the event unique: file sha:record, message id
          keyword TEXT,                      -- the reply that was matched
          wording TEXT,                      -- the exact text the person was shown
          wording_version TEXT,
          campaign TEXT,
          evidence TEXT,                     -- message ids, file:record
          UNIQUE (method, ref, event)
        );
        CREATE TRIGGER consent_events_append_only_update BEFORE UPDATE ON consent_events
          BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
        CREATE TRIGGER consent_events_append_only_delete BEFORE DELETE ON consent_events
          BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
        """

    /// By address, carrying every column a tally reads: tallying the ledger is then
    /// one ordered index scan with no table reads (4.9 s → 0.9 s for 865k events).
    /// Created by the migration `v7-ledger-covering-index` (the first schema had a
    /// plain index on address).
    public static let addressIndex =
        "CREATE INDEX IF NOT EXISTS consent_events_address ON consent_events(address, event, at, method, source)"
}
