/// Gradual rollout: each wave message's cohort and variant, the cohorts a wave has released
/// to `send`, and the gates judged on the way (v17). Waves planned before keep one cohort,
/// variant A, released.
enum RolloutSchema {
    static let sql = """
        ALTER TABLE wave_messages ADD COLUMN cohort INTEGER NOT NULL DEFAULT 0;  -- 0-based, from the keyed hash
        ALTER TABLE wave_messages ADD COLUMN variant TEXT NOT NULL DEFAULT 'A';  -- which of the wave's templates
        ALTER TABLE waves ADD COLUMN released INTEGER NOT NULL DEFAULT 1;        -- cohorts send may take
        ALTER TABLE waves ADD COLUMN promoted TEXT;
        ALTER TABLE inbound_messages ADD COLUMN button INTEGER NOT NULL DEFAULT 0; -- a WhatsApp button or list reply                              -- the variant `wave promote` chose
        -- What `wave status` counts, read from the indexes alone (1M messages in well under a second).
        CREATE INDEX wave_messages_rollout ON wave_messages(
          wave, cohort, variant, state, delivery, error_code, reason, sent_at, sending_at);
        DROP INDEX wave_messages_state;                                         -- now also the planned days and cost
        CREATE INDEX wave_messages_state ON wave_messages(wave, state, id, day, cost);
        CREATE INDEX wave_messages_at ON wave_messages(wave, COALESCE(sent_at, sending_at));
        -- A reply, an opt-out or a failure finds its message and everything the rollout counts of it.
        DROP INDEX wave_messages_contact;
        CREATE INDEX wave_messages_contact ON wave_messages(contact_id, wave, state, cohort, variant, sent_at, sending_at);
        CREATE INDEX wave_messages_e164 ON wave_messages(e164, wave, state, cohort, variant, sent_at, sending_at);
        CREATE INDEX wave_messages_error ON wave_messages(
          wave, error_code, e164, state, delivery, cohort, variant, sent_at, sending_at) WHERE error_code IS NOT NULL;
        -- Opt-outs only: the pipeline's million export opt-ins do not pay for it.
        CREATE INDEX consent_events_opt_out ON consent_events(channel, address, method, at, recorded_at)
          WHERE event = 'opt_out';
        CREATE INDEX inbound_messages_contact ON inbound_messages(channel, contact_id, received_at, button);
        CREATE TABLE wave_rollout_decisions (
          id INTEGER PRIMARY KEY,
          wave TEXT NOT NULL,
          cohort INTEGER NOT NULL,           -- the cohort whose figures were judged
          at INTEGER NOT NULL,
          verdict TEXT NOT NULL,             -- holds | fails | waiting | too_few | promoted
          sample INTEGER NOT NULL,           -- measured messages the figures stand on
          detail TEXT NOT NULL,              -- the figures in words, as advance printed them
          released INTEGER NOT NULL          -- cohorts released after it
        );
        """
}
