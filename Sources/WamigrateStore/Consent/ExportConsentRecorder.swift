import GRDB

/// Records every explicit consent cell of the extracted exports as a ledger event
/// with the export's own date, while dedupe walks each contact's rows (so no
/// second pass joins rows back to contacts). Events are staged unindexed and then
/// appended in the order of the ledger's unique key, `(method, ref, event)`:
/// appending a million events in input order into that B-tree was most of what
/// made import slow. An event already in the ledger (same file checksum and
/// record) is left alone, so re-running dedupe records nothing twice.
public struct ExportConsentRecorder {
    private struct Source {
        var channel: String
        var checksum: Substring
        var name: String
    }

    public static let rebuildIndexAt = 100_000

    private let db: Database
    private let sources: [Int64: Source]
    private let insert: Statement

    init(_ db: Database, sources: [Row]) throws {
        self.db = db
        var byID: [Int64: Source] = [:]
        for row in sources {
            let sha: String = row["sha256"]
            byID[row["id"]] = Source(channel: row["channel"], checksum: sha.prefix(16), name: row["name"])
        }
        self.sources = byID
        try db.execute(
            sql: """
                DROP TABLE IF EXISTS temp.export_consent;
                CREATE TEMP TABLE export_consent (
                  address TEXT NOT NULL, contact_id TEXT NOT NULL, channel TEXT NOT NULL, event TEXT NOT NULL,
                  at INTEGER, ref TEXT NOT NULL, evidence TEXT NOT NULL);
                """)
        insert = try db.makeBulkStatement(
            sql: """
                INSERT INTO temp.export_consent (address, contact_id, channel, event, at, ref, evidence)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Stages the row's consent cell when it states one.
    public func stage(_ row: MergeRow, address: String, contactID: String) throws {
        let event: String
        switch row.consent {
        case .optedIn: event = "opt_in"
        case .optedOut: event = "opt_out"
        case .unknown: return
        }
        guard let source = sources[row.sourceID] else { return }
        var bulk = BulkStatement(insert)
        bulk.bind(address)
        bulk.bind(contactID)
        bulk.bind(source.channel)
        bulk.bind(event)
        bulk.bind(row.consentAt)
        bulk.bind("\(source.checksum):\(row.record)")
        bulk.bind("\(source.name):\(row.record)")
        try bulk.step()
    }

    /// A row in review makes no contact, yet the opt-out it states must bind the person,
    /// whichever candidate number is theirs: one opt-out event per candidate (the second
    /// and later with `/2`, `/3` after the record in `ref`), so nobody who may have opted
    /// out is messaged. Evidence names the row, like any export event.
    public func stageReviewOptOut(
        sourceID: Int64, record: Int64, at: Int64?, candidate: Int, address: String, contactID: String
    ) throws {
        guard let source = sources[sourceID] else { return }
        var bulk = BulkStatement(insert)
        bulk.bind(address)
        bulk.bind(contactID)
        bulk.bind(source.channel)
        bulk.bind("opt_out")
        bulk.bind(at)
        bulk.bind("\(source.checksum):\(record)" + (candidate == 0 ? "" : "/\(candidate + 1)"))
        bulk.bind("\(source.name):\(record)")
        try bulk.step()
    }

    /// Appends the staged events the ledger does not hold yet; returns how many, and
    /// how many were staged (each a distinct file record, so the ledger holds exactly
    /// that many export events for the extracted files).
    public func record(recordedAt: Int64) throws -> (added: Int, staged: Int) {
        // A large batch goes in without the address index, which is then built once
        // in order (inserting into it in ledger-key order is a random walk per event).
        let staged = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM temp.export_consent") ?? 0
        let rebuild = staged >= Self.rebuildIndexAt
        if rebuild { try db.execute(sql: "DROP INDEX IF EXISTS consent_events_address") }
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO consent_events (address, contact_id, channel, event, at, recorded_at, method, source,
                  ref, evidence)
                SELECT address, contact_id, channel, event, at, ?, ?, ? || ':' || channel, ref, evidence
                FROM temp.export_consent ORDER BY ref, event
                """, arguments: [recordedAt, ConsentEvent.Method.export, ConsentEvent.Method.export])
        let added = db.changesCount
        if rebuild { try db.execute(sql: ConsentSchema.addressIndex) }
        try db.execute(sql: "DROP TABLE temp.export_consent")
        return (added, staged)
    }
}
