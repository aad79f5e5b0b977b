import Foundation
import GRDB

/// The consent ledger: appends events, sums them up per person and lists a
/// person's history. Nothing here updates or deletes an event.
extension JobStore {
    /// Appends events that are not already there; returns how many were new.
    @discardableResult
    public func appendConsent(_ events: [ConsentEvent]) throws -> Int {
        try write { db in try events.reduce(0) { $0 + (try $1.append(db) ? 1 : 0) } }
    }

    /// One person's tally over all of their addresses.
    public func consentTally(addresses: [String], policy: ConsentPolicy) throws -> ConsentTally {
        try read { db in try Self.tally(db, addresses: addresses, policy: policy) }
    }

    /// One person's tally; a number's linked BSUIDs count as the person's addresses.
    static func tally(_ db: Database, addresses given: [String], policy: ConsentPolicy) throws -> ConsentTally {
        guard !given.isEmpty else { return ConsentTally() }
        let addresses = try linkedAddresses(db, given)
        let marks = Array(repeating: "?", count: addresses.count).joined(separator: ", ")
        let row = try Row.fetchOne(
            db, sql: "SELECT \(ConsentTally.columns(policy: policy)) FROM consent_events WHERE address IN (\(marks))",
            arguments: StatementArguments(addresses))
        return row.map { ConsentTally(row: $0) } ?? ConsentTally()
    }

    /// Every event for these addresses, oldest first (undated ones first, as the sources gave them).
    public func consentHistory(addresses given: [String]) throws -> [ConsentEvent] {
        guard !given.isEmpty else { return [] }
        return try read { db in
            let addresses = try Self.linkedAddresses(db, given)
            let marks = Array(repeating: "?", count: addresses.count).joined(separator: ", ")
            return try Row.fetchAll(
                db, sql: "SELECT * FROM consent_events WHERE address IN (\(marks)) ORDER BY at IS NOT NULL, at, id",
                arguments: StatementArguments(addresses)
            ).map(ConsentEvent.init(row:))
        }
    }

    /// Builds `temp.consent_tally` (one row per address) and `temp.counted_opt_in`
    /// (the latest opt-in the policy counts, per address) for bulk joins against contacts.
    static func buildTallyTables(_ db: Database, policy: ConsentPolicy) throws {
        try dropTallyTables(db)
        try db.execute(
            sql: """
                CREATE TEMP TABLE consent_tally AS
                  SELECT address, \(ConsentTally.columns(policy: policy)) FROM consent_events GROUP BY address;
                CREATE UNIQUE INDEX temp.consent_tally_address ON consent_tally(address);
                CREATE TEMP TABLE bsuid_tally AS
                  \(linkedPairs)
                  SELECT u.address, \(ConsentTally.columns(policy: policy))
                  FROM consent_events JOIN (SELECT DISTINCT address, user_id FROM pairs) u
                    ON consent_events.address = 'bsuid:' || u.user_id
                  GROUP BY u.address;
                CREATE UNIQUE INDEX temp.bsuid_tally_address ON bsuid_tally(address);
                CREATE TEMP TABLE counted_opt_in AS
                  SELECT address, id, MAX(COALESCE(at, -1)) AS at FROM consent_events
                  WHERE event = '\(ConsentEvent.Kind.optIn.rawValue)' AND \(policy.sqlPredicate) GROUP BY address;
                CREATE UNIQUE INDEX temp.counted_opt_in_address ON counted_opt_in(address);
                """)
    }

    /// Every (`+number`, BSUID) pair the webhooks linked, directly or through recorded changes of
    /// user id or number, in either direction; the bulk form of `linkedAddresses`. A number seen
    /// in a registration under another `wa_id` (Brazil's ninth digit) takes that number's pairs.
    static let linkedPairs = """
        WITH RECURSIVE links(wa_id, user_id) AS (
          SELECT wa_id, user_id FROM user_ids WHERE wa_id != ''
          UNION SELECT l.wa_id, c.user_id FROM user_id_changes c JOIN links l ON c.previous_user_id = l.user_id
            WHERE c.user_id IS NOT NULL
          UNION SELECT l.wa_id, c.previous_user_id FROM user_id_changes c JOIN links l ON c.user_id = l.user_id
            WHERE c.previous_user_id IS NOT NULL
          UNION SELECT c.previous_wa_id, l.user_id FROM user_id_changes c JOIN links l ON c.wa_id = l.wa_id
            WHERE c.previous_wa_id IS NOT NULL
          UNION SELECT c.wa_id, l.user_id FROM user_id_changes c JOIN links l ON c.previous_wa_id = l.wa_id
            WHERE c.wa_id IS NOT NULL
        ),
        pairs(address, user_id) AS (
          SELECT '+' || wa_id, user_id FROM links
          UNION SELECT r.e164, l.user_id FROM registrations r JOIN links l ON r.wa_id = l.wa_id
        )
        """

    static func dropTallyTables(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP TABLE IF EXISTS temp.consent_tally; DROP TABLE IF EXISTS temp.counted_opt_in;
                DROP TABLE IF EXISTS temp.bsuid_tally
                """)
    }

    /// Joins for a query over `contacts c`: the tally of the number (t1), of the Viber id (t2),
    /// and of the BSUIDs seen with the number (t3: a STOP from a user whose number was withheld).
    public static let tallyJoins = """
        LEFT JOIN temp.consent_tally t1 ON t1.address = c.e164
        LEFT JOIN temp.consent_tally t2 ON t2.address = 'viber:' || c.viber_id
        LEFT JOIN temp.bsuid_tally t3 ON t3.address = c.e164
        """

    /// The select list that goes with `tallyJoins`: each tally's columns, prefixed with its table
    /// (`t1.opt_outs AS t1_opt_outs`...).
    public static let tallySelect = (1...3).map { t in
        ConsentTally.columnNames.map { "t\(t).\($0) AS t\(t)_\($0)" }.joined(separator: ", ")
    }.joined(separator: ", ")

    /// True when the last dedupe recorded the exports' consent cells itself
    /// (`ExportConsentRecorder`); stores made by older versions left it to import.
    static func dedupeRecordedExportConsent(_ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT json_extract(details_json, '$.consentEventsAdded') IS NOT NULL FROM stage_runs
                WHERE stage = 'dedupe' ORDER BY id DESC LIMIT 1
                """) ?? false
    }

    /// Records every explicit consent cell of the extracted exports as a ledger
    /// event with the export's own date (once: the file's checksum and record
    /// number make it unique), joining rows back to their contacts. Only for a
    /// store whose dedupe predates `ExportConsentRecorder`. Returns how many were new.
    static func appendExportConsent(_ db: Database, recordedAt: Int64) throws -> Int {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO consent_events (address, contact_id, channel, event, at, recorded_at, method, source,
                  ref, evidence)
                SELECT COALESCE(c.e164, 'viber:' || c.viber_id), c.id, s.channel,
                  CASE r.consent WHEN ? THEN ? ELSE ? END, r.consent_at, ?, ?,
                  ? || ':' || s.channel, substr(s.sha256, 1, 16) || ':' || r.record, s.name || ':' || r.record
                FROM input_rows r
                JOIN contact_rows cr ON cr.row_id = r.id
                JOIN contacts c ON c.id = cr.contact_id
                JOIN sources s ON s.id = r.source_id
                WHERE r.consent IN (?, ?)
                """,
            arguments: [
                ConsentState.optedIn, ConsentEvent.Kind.optIn, ConsentEvent.Kind.optOut, recordedAt,
                ConsentEvent.Method.export, ConsentEvent.Method.export, ConsentState.optedIn, ConsentState.optedOut,
            ])
        return db.changesCount
    }
}
