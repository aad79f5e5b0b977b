/// Gradual rollout: each wave message's cohort and variant, the cohorts a wave has released
/// to `send`, and the gates judged on the way (v17). Waves planned before keep one cohort,
/// variant A, released.
enum RolloutSchema {
    static let sql = """
        ALTER TABLE wave_messages ADD COLUMN cohort INTEGER NOT NULL DEFAULT 0;  -- 0-based, from the keyed hash
        ALTER TABLE wave_messages ADD COLUMN variant TEXT NOT NULL DEFAULT 'A';  -- which of the wave's templates
        ALTER TABLE waves ADD COLUMN released INTEGER NOT NULL DEFAULT 1;        -- cohorts send may take
        ALTER TABLE waves ADD COLUMN promoted TEXT;                              -- the variant `wave promote` chose
        CREATE INDEX wave_messages_cohort ON wave_messages(wave, cohort, variant);
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
