import Crypto
import Foundation
import GRDB
import Logging
import WamigrateBase

/// What dedupe did. Goes into stage_runs and the summary.
public struct DedupeReport: Codable, Sendable {
    public var rowsIn = 0
    public var contacts = 0
    public var viberOnlyContacts = 0
    public var kept = 0
    public var merged = 0
    public var mergedViaViberID = 0
    public var conflicts: [String: Int] = [:]
    public var consent: [String: Int] = [:]
    /// Explicit consent cells of the exports newly recorded in the consent ledger
    /// (nil in reports of stores made before dedupe recorded them).
    public var consentEventsAdded: Int?
    /// Contacts whose consent the ledger's other events changed (campaign replies,
    /// unsubscribes, earlier exports).
    public var consentFromLedger: Int?
}

/// dedupe: one contact per E.164 (and one per Viber id for Viber-only rows), fields
/// picked by `Survivorship`, with the row that supplied each. Viber-only rows whose
/// Viber id also appears on a row with a number join that number's contact.
/// Contact ids are a keyed hash of the number, so a re-run gives the same ids.
public struct DedupeStage: PipelineStage {
    public static let stage = Stage.dedupe
    public static let summaryField = \RunSummary.dedupe

    public var logger: Logger
    /// rows merged / total on a terminal (nothing moves while SQLite sorts the rows).
    public var progress: any ProgressSink = SilentProgress()

    public init(logger: Logger) { self.logger = logger }

    public func fingerprint(upstream: String?) -> String {
        Self.digest(upstream ?? "", "dedupe", ToolVersion.current)
    }

    public func run(_ context: StageContext) throws -> DedupeReport {
        let store = context.store
        var report = DedupeReport()
        let salt = store.salt
        try store.write { db in
            try Schema.dropDedupeIndexes(db)
            try JobStore.clear(from: .dedupe, in: db)
            let sources = try Row.fetchAll(db, sql: "SELECT id, name, priority, channel, sha256 FROM sources")
            let ledger = try ExportConsentRecorder(db, sources: sources)
            let writer = try ContactWriter(db)
            try db.execute(
                sql: """
                    DROP TABLE IF EXISTS temp.viber_link;
                    CREATE TEMP TABLE viber_link AS
                      SELECT r.viber_id AS viber_id, MIN(n.e164) AS e164
                      FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
                      WHERE n.outcome = \(RowOutcome.ok.quoted) AND r.viber_id IS NOT NULL GROUP BY r.viber_id;
                    CREATE UNIQUE INDEX temp.viber_link_id ON viber_link(viber_id);
                    """)
            let (ok, viberOnly) = (RowOutcome.ok, RowOutcome.viberOnly)
            let cursor = try SQLRequest<Row>(
                """
                -- key, then ContactWriter.mergeRowColumns, then what the key's contact takes from normalize
                SELECT key, row_id, source_id, record, name, email, consent, consent_at, seen_at, viber_id, tags, language,
                       region, number_type, linked FROM (
                  SELECT n.e164 AS key, r.id AS row_id, r.source_id, r.record, r.name, r.email, r.consent, r.consent_at,
                         r.seen_at, r.viber_id, r.tags, r.language, n.region, n.number_type, 0 AS linked
                  FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id WHERE n.outcome = \(ok)
                  UNION ALL
                  SELECT v.e164, r.id, r.source_id, r.record, r.name, r.email, r.consent, r.consent_at, r.seen_at,
                         r.viber_id, r.tags, r.language, NULL, NULL, 1
                  FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
                  JOIN viber_link v ON v.viber_id = r.viber_id WHERE n.outcome = \(viberOnly)
                  UNION ALL
                  SELECT '~' || r.viber_id, r.id, r.source_id, r.record, r.name, r.email, r.consent, r.consent_at,
                         r.seen_at, r.viber_id, r.tags, r.language, NULL, NULL, 0
                  FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
                  LEFT JOIN viber_link v ON v.viber_id = r.viber_id WHERE n.outcome = \(viberOnly) AND v.viber_id IS NULL
                ) ORDER BY key, row_id
                """
            ).fetchCursor(db)
            let total =
                try SQLRequest<Int>("SELECT COUNT(*) FROM normalized_rows WHERE outcome != \(RowOutcome.rejected)").fetchOne(db)
                ?? 0
            progress.update("dedupe", done: 0, total: total, unit: "rows")
            var groupKey: String?
            var group: [MergeRow] = []
            var region: String?
            var numberType: String?
            var linked = 0
            func flush() throws {
                guard let key = groupKey, !group.isEmpty else { return }
                let isViberOnly = key.hasPrefix("~")
                let id = Self.contactID(salt: salt, key: key)
                let contact = try writer.insert(
                    id: id, e164: isViberOnly ? nil : key, region: region, numberType: numberType, rows: group)
                let address = isViberOnly ? "viber:" + key.dropFirst() : key
                for row in group { try ledger.stage(row, address: address, contactID: id) }
                for kind in contact.conflicts { report.conflicts[kind, default: 0] += 1 }
                report.contacts += 1
                if isViberOnly { report.viberOnlyContacts += 1 }
                report.kept += 1
                report.merged += group.count - 1
                report.mergedViaViberID += linked
                report.consent[contact.consent.rawValue, default: 0] += 1
            }
            while let row = try cursor.next() {
                let key: String = row[0]
                if key != groupKey {
                    try flush()
                    groupKey = key
                    group.removeAll(keepingCapacity: true)
                    region = nil
                    numberType = nil
                    linked = 0
                }
                report.rowsIn += 1
                if report.rowsIn % 8192 == 0 { progress.update("dedupe", done: report.rowsIn, total: total, unit: "rows") }
                group.append(MergeRow(row: row, at: 1))
                if region == nil { region = row[12] }
                if numberType == nil { numberType = row[13] }
                if (row[14] as Int) == 1 { linked += 1 }
            }
            try flush()
            progress.update("dedupe", done: report.rowsIn, total: total, unit: "rows")
            progress.finish("dedupe")
            let recorded = try ledger.record(recordedAt: Clock.unixNow())
            report.consentEventsAdded = recorded.added
            report.consentFromLedger = try ContactConsent.refreshAfterDedupe(db, exportEventsOfThisExtract: recorded.staged)
            try db.execute(sql: "DROP TABLE temp.viber_link")
            try Schema.createDedupeIndexes(db)
            try context.complete(.dedupe, rowsIn: report.rowsIn, rowsOut: report.contacts, details: report, in: db)
        }
        logger.info(
            "dedupe: \(report.contacts) contacts (\(report.merged) rows merged, \(report.conflicts.values.reduce(0, +)) conflicts flagged)"
        )
        return report
    }

    /// `c` + 16 hex digits of SHA-256(job salt | key): stable within a job, opaque outside it.
    static func contactID(salt: String, key: String) -> String {
        let digest = SHA256.hash(data: Data("\(salt)|\(key)".utf8))
        return "c" + Hex.string(digest.prefix(8))
    }
}
