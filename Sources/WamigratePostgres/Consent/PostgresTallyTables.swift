import Foundation
import WamigrateModel

/// The consent ledger tallied for bulk joins against contacts, for one transaction: import's
/// lists and the wave and campaign plans read a person's tally from them, as the SQLite store's
/// `buildTallyTables` builds them.
extension PostgresJobStore {
    /// `consent_tally` (one row per address), `bsuid_tally` (per number: the events of the BSUIDs
    /// the webhooks linked to it) and `counted_opt_in` (the latest opt-in the policy counts, per
    /// address; among equally late ones the first by method, source and id, as SQLite's scan of
    /// its ledger index finds it). Dropped at commit.
    func buildTallyTables(policy: ConsentPolicy) throws {
        try connection.run(
            """
            DROP TABLE IF EXISTS consent_tally, bsuid_tally, counted_opt_in;
            CREATE TEMP TABLE consent_tally ON COMMIT DROP AS
              SELECT address, \(ConsentTally.columns(policy: policy)) FROM consent_events GROUP BY address;
            CREATE UNIQUE INDEX ON consent_tally(address);
            CREATE TEMP TABLE bsuid_tally ON COMMIT DROP AS
              \(Self.linkedPairs)
              SELECT u.address, \(ConsentTally.columns(policy: policy))
              FROM consent_events JOIN (SELECT DISTINCT address, user_id FROM pairs) u
                ON consent_events.address = 'bsuid:' || u.user_id
              GROUP BY u.address;
            CREATE UNIQUE INDEX ON bsuid_tally(address);
            CREATE TEMP TABLE counted_opt_in ON COMMIT DROP AS
              SELECT DISTINCT ON (address) address, id FROM consent_events
              WHERE event = '\(ConsentEvent.Kind.optIn.rawValue)' AND \(policy.sqlPredicate)
              ORDER BY address, COALESCE(at, -1) DESC, method, source, id;
            CREATE UNIQUE INDEX ON counted_opt_in(address);
            ANALYZE consent_tally; ANALYZE bsuid_tally; ANALYZE counted_opt_in;
            """)
    }

    /// Every (`+number`, BSUID) pair the webhooks linked, directly or through recorded changes of
    /// user id or number, in either direction; a number seen in a registration under another
    /// `wa_id` (Brazil's ninth digit) takes that number's pairs. PostgreSQL lets the recursive
    /// term name `links` once, so the four directions of a change are one join and four rows.
    static let linkedPairs = """
        WITH RECURSIVE links(wa_id, user_id) AS (
          SELECT wa_id, user_id FROM user_ids WHERE wa_id != ''
          UNION SELECT n.wa_id, n.user_id FROM links l JOIN user_id_changes c
            ON c.previous_user_id = l.user_id OR c.user_id = l.user_id OR c.wa_id = l.wa_id OR c.previous_wa_id = l.wa_id
          CROSS JOIN LATERAL (VALUES
            (CASE WHEN c.previous_user_id = l.user_id THEN l.wa_id END, c.user_id),
            (CASE WHEN c.user_id = l.user_id THEN l.wa_id END, c.previous_user_id),
            (CASE WHEN c.wa_id = l.wa_id THEN c.previous_wa_id END, l.user_id),
            (CASE WHEN c.previous_wa_id = l.wa_id THEN c.wa_id END, l.user_id)) n(wa_id, user_id)
          WHERE n.wa_id IS NOT NULL AND n.user_id IS NOT NULL
        ),
        pairs(address, user_id) AS (
          SELECT '+' || wa_id, user_id FROM links
          UNION SELECT r.e164, l.user_id FROM registrations r JOIN links l ON r.wa_id = l.wa_id
        )
        """

    /// Joins for a query over `contacts c`: the tally of the number (t1), of the Viber id (t2),
    /// and of the BSUIDs seen with the number (t3: a STOP from a user whose number was withheld).
    static let tallyJoins = """
        LEFT JOIN consent_tally t1 ON t1.address = c.e164
        LEFT JOIN consent_tally t2 ON t2.address = 'viber:' || c.viber_id
        LEFT JOIN bsuid_tally t3 ON t3.address = c.e164
        """

    /// The select list that goes with `tallyJoins` (`t1.opt_outs AS t1_opt_outs`...).
    static let tallySelect = (1...3).map { t in
        ConsentTally.columnNames.map { "t\(t).\($0) AS t\(t)_\($0)" }.joined(separator: ", ")
    }.joined(separator: ", ")
}

extension ConsentTally {
    /// The person's tally from a row of `tallySelect`: the three merged.
    init(contactRow rows: PostgresRows, _ index: Int, at positions: [[Int32]]) {
        self = positions.map { ConsentTally(rows, index, at: $0) }.reduce(ConsentTally()) { $0.merged($1) }
    }

    /// Where `tallySelect`'s three tallies stand in `rows`.
    static func contactPositions(_ rows: PostgresRows) -> [[Int32]] {
        ["t1_", "t2_", "t3_"].map { positions(rows, prefix: $0) }
    }
}
