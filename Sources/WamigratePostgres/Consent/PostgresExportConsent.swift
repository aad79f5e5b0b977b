import Foundation
import WamigrateBase
import WamigrateModel

/// Dedupe's export consent on PostgreSQL: every explicit consent cell of the extracted files
/// staged while contacts are gathered (copied into `dedupe_consent` with each partition, so
/// memory stays bounded and a partition's cells commit with its contacts), then appended to
/// the ledger in its key order when dedupe finishes (`ON CONFLICT DO NOTHING`: an event
/// already there, the same file checksum and record, is left alone). The same events as the
/// SQLite store's `ExportConsentRecorder`.
final class PostgresExportConsent {
    private let connection: PostgresConnection
    private let sources: JobSources
    private var pending: [[(any PostgresBindable)?]] = []

    init(_ connection: PostgresConnection, sources: JobSources) {
        self.connection = connection
        self.sources = sources
    }

    /// Copies what was staged since the last flush (the connection must be free: between fetches).
    func flush() throws {
        guard !pending.isEmpty else { return }
        let copy = try connection.startCopy(
            into: "dedupe_consent", columns: ["address", "contact_id", "channel", "event", "at", "ref", "evidence"])
        for event in pending { for value in event { try copy.add(value) } }
        try copy.finish()
        pending.removeAll(keepingCapacity: true)
    }

    /// Stages the row's consent cell when it states one.
    func stage(_ row: MergeRow, address: String, contactID: String) {
        let event: ConsentEvent.Kind
        switch row.consent {
        case .optedIn: event = .optIn
        case .optedOut: event = .optOut
        case .unknown: return
        }
        add(
            address: address, contactID: contactID, sourceID: row.sourceID, event: event, at: row.consentAt,
            record: row.record, suffix: "")
    }

    /// An opt-out of a row in review, once per candidate number (`/2`, `/3` after the record).
    func stageReviewOptOut(sourceID: Int64, record: Int64, at: Int64?, candidate: Int, address: String, contactID: String) {
        add(
            address: address, contactID: contactID, sourceID: sourceID, event: .optOut, at: at, record: record,
            suffix: candidate == 0 ? "" : "/\(candidate + 1)")
    }

    private func add(
        address: String, contactID: String, sourceID: Int64, event: ConsentEvent.Kind, at: Int64?, record: Int64,
        suffix: String
    ) {
        guard let name = sources.names[sourceID], let checksum = sources.checksums[sourceID] else { return }
        pending.append([
            address, contactID, sources.channels[sourceID], event.rawValue, at, "\(checksum.prefix(16)):\(record)\(suffix)",
            "\(name):\(record)",
        ])
    }

    /// Appends the events every partition staged that the ledger does not hold yet, and empties
    /// the staging table; returns how many were added, and how many were staged.
    func record(recordedAt: Int64) throws -> (added: Int, staged: Int) {
        try flush()
        let staged = try connection.execute("SELECT COUNT(*) FROM dedupe_consent").scalarInt ?? 0
        let export = ConsentEvent.Method.export.rawValue
        let added = try connection.execute(
            """
            INSERT INTO consent_events (address, contact_id, channel, event, at, recorded_at, method, source, ref, evidence)
            SELECT address, contact_id, channel, event, at, $1, $2, $2 || ':' || channel, ref, evidence
            FROM dedupe_consent ORDER BY ref COLLATE "C", event
            ON CONFLICT (method, ref, event) DO NOTHING
            """, [recordedAt, export]
        ).changes
        try connection.run("TRUNCATE dedupe_consent; ANALYZE consent_events")
        return (added, staged)
    }
}

/// What the ledger changes on contacts after dedupe, as the SQLite store's `ContactConsent`
/// does it (through `refreshContactConsent`, which takes in the BSUIDs linked to a number).
extension PostgresJobStore {
    /// After dedupe: the contacts whose addresses hold events other than the consent cells of
    /// the files just extracted (none in a fresh job, told by two counts before any scan).
    func refreshConsentAfterDedupe(exportEventsOfThisExtract: Int) throws -> Int {
        let export = ConsentEvent.Method.export
        let others = try connection.execute("SELECT COUNT(*) FROM consent_events WHERE method != $1", [export]).scalarInt ?? 0
        let exports = try connection.execute("SELECT COUNT(*) FROM consent_events WHERE method = $1", [export]).scalarInt ?? 0
        guard others > 0 || exports > exportEventsOfThisExtract else { return 0 }
        let rows = try connection.execute(
            """
            SELECT DISTINCT address FROM consent_events
            WHERE method != $1 OR substr(ref, 1, 16) NOT IN (SELECT substr(sha256, 1, 16) FROM sources)
            """, [export])
        return try refreshContactConsent(addresses: (0..<rows.count).compactMap { rows.string($0, 0) })
    }
}

extension ConsentTally {
    /// Where the aggregate columns (`columnNames`, each after `prefix`) stand in `rows`.
    static func positions(_ rows: PostgresRows, prefix: String) -> [Int32] {
        columnNames.map { rows.column(prefix + $0) }
    }

    /// Reads the aggregates of one result row where `at` found them; a missing (NULL) group is
    /// an empty tally.
    init(_ rows: PostgresRows, _ index: Int, at: [Int32]) {
        self.init()
        func int(_ column: Int) -> Int64? { rows.int64(index, at[column]) }
        optOuts = Int(int(0) ?? 0)
        undatedOptOut = int(1) == 1
        lastOptOut = int(2)
        optIns = Int(int(3) ?? 0)
        lastOptIn = int(4)
        countedOptIns = Int(int(5) ?? 0)
        lastCountedOptIn = int(6)
        marketingStops = Int(int(7) ?? 0)
        undatedMarketingStop = int(8) == 1
        lastMarketingStop = int(9)
        lastMarketingResume = int(10)
    }
}
