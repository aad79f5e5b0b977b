import Crypto
import Foundation
import GRDB
import Logging

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
public struct DedupeStage {
    public var logger: Logger
    /// rows merged / total on a terminal (nothing moves while SQLite sorts the rows).
    public var progress: any ProgressSink = SilentProgress()

    public init(logger: Logger) { self.logger = logger }

    public func run(store: JobStore, runID: Int64) throws -> DedupeReport {
        let started = Clock.isoNow()
        guard let upstream = try store.completedFingerprint(.normalize) else {
            throw WamigrateError(
                .stageOrder, "dedupe needs normalized rows, and normalize has not run since the last extract",
                hint: "run `wamigrate normalize` (or `wamigrate run`) first")
        }
        let fingerprint = Hex.string(SHA256.hash(data: Data("\(upstream)|dedupe|\(ToolVersion.current)".utf8)))
        var report = DedupeReport()
        let salt = store.salt
        try store.write { db in
            try Schema.dropDedupeIndexes(db)
            try JobStore.clear(from: .dedupe, in: db)
            let sources = try Row.fetchAll(db, sql: "SELECT id, name, priority, channel, sha256 FROM sources")
            let priorities = Dictionary(uniqueKeysWithValues: sources.map { ($0["id"] as Int64, $0["priority"] as Int) })
            let names = Dictionary(uniqueKeysWithValues: sources.map { ($0["id"] as Int64, $0["name"] as String) })
            let ledger = try ExportConsentRecorder(db, sources: sources)
            let lineage = try Lineage(db)
            let survivorship = Survivorship(priorities: priorities)
            try db.execute(
                sql: """
                    DROP TABLE IF EXISTS temp.viber_link;
                    CREATE TEMP TABLE viber_link AS
                      SELECT r.viber_id AS viber_id, MIN(n.e164) AS e164
                      FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
                      WHERE n.outcome = 'ok' AND r.viber_id IS NOT NULL GROUP BY r.viber_id;
                    CREATE UNIQUE INDEX temp.viber_link_id ON viber_link(viber_id);
                    """)
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT key, row_id, source_id, record, name, email, consent, consent_at, seen_at, viber_id, tags, language,
                           region, number_type, linked FROM (
                      SELECT n.e164 AS key, r.id AS row_id, r.source_id, r.record, r.name, r.email, r.consent, r.consent_at,
                             r.seen_at, r.viber_id, r.tags, r.language, n.region, n.number_type, 0 AS linked
                      FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id WHERE n.outcome = 'ok'
                      UNION ALL
                      SELECT v.e164, r.id, r.source_id, r.record, r.name, r.email, r.consent, r.consent_at, r.seen_at,
                             r.viber_id, r.tags, r.language, NULL, NULL, 1
                      FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
                      JOIN viber_link v ON v.viber_id = r.viber_id WHERE n.outcome = 'viber_only'
                      UNION ALL
                      SELECT '~' || r.viber_id, r.id, r.source_id, r.record, r.name, r.email, r.consent, r.consent_at,
                             r.seen_at, r.viber_id, r.tags, r.language, NULL, NULL, 0
                      FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
                      LEFT JOIN viber_link v ON v.viber_id = r.viber_id WHERE n.outcome = 'viber_only' AND v.viber_id IS NULL
                    ) ORDER BY key, row_id
                    """)
            let insertContact = try db.makeStatement(
                sql: """
                    INSERT INTO contacts (id, e164, viber_id, region, number_type, name, name_row, email, email_row, consent,
                      consent_at, consent_row, consent_rule, language, sources, tags, row_count, first_row, source_rows, conflict)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let insertRow = try db.makeStatement(
                sql: "INSERT INTO contact_rows (row_id, contact_id, disposition) VALUES (?, ?, ?)")
            let insertConflict = try db.makeStatement(sql: "INSERT INTO conflicts (contact_id, kind, row_ids) VALUES (?, ?, ?)")

            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM normalized_rows WHERE outcome != 'rejected'") ?? 0
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
                let contact = survivorship.merge(group)
                let rows = group.map { lineage.reference($0.sourceID, $0.record) }.joined(separator: " ")
                var bulk = BulkStatement(insertContact)
                bulk.bind(id)
                bulk.bind(isViberOnly ? nil : key)
                bulk.bind(contact.viberID?.value)
                bulk.bind(region)
                bulk.bind(numberType)
                bulk.bind(contact.name?.value)
                bulk.bind(contact.name?.row)
                bulk.bind(contact.email?.value)
                bulk.bind(contact.email?.row)
                bulk.bind(contact.consent.rawValue)
                bulk.bind(contact.consentAt)
                bulk.bind(contact.consentRow)
                bulk.bind(contact.consentRule)
                bulk.bind(contact.language?.value)
                bulk.bind(
                    contact.sourceIDs.count == 1
                        ? names[contact.sourceIDs[0]] : contact.sourceIDs.compactMap { names[$0] }.joined(separator: ","))
                bulk.bind(contact.tags.isEmpty ? nil : contact.tags.joined(separator: ","))
                bulk.bind(group.count)
                bulk.bind(group[0].id)
                bulk.bind(rows)
                bulk.bind(contact.conflicts.isEmpty ? nil : contact.conflicts.joined(separator: ","))
                try bulk.step()
                for (index, row) in group.enumerated() {
                    var rowInsert = BulkStatement(insertRow)
                    rowInsert.bind(row.id)
                    rowInsert.bind(id)
                    rowInsert.bind(index == 0 ? "kept" : "merged")
                    try rowInsert.step()
                    try ledger.stage(row, address: isViberOnly ? "viber:" + key.dropFirst() : key, contactID: id)
                }
                for kind in contact.conflicts {
                    try insertConflict.execute(arguments: [id, kind, group.map { String($0.id) }.joined(separator: ",")])
                    report.conflicts[kind, default: 0] += 1
                }
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
                group.append(
                    MergeRow(
                        id: row[1], sourceID: row[2], record: row[3], name: row[4], email: row[5],
                        consent: ConsentState(rawValue: row[6]) ?? .unknown, consentAt: row[7], seenAt: row[8],
                        viberID: row[9], tags: row[10], language: row[11]))
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
            try JobStore.recordStage(
                .dedupe, run: runID, started: started, fingerprint: fingerprint,
                rowsIn: report.rowsIn, rowsOut: report.contacts, details: report, in: db)
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
