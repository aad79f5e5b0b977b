import Crypto
import Foundation
import GRDB
import WamigrateBase

/// Dedupe's tables, rebuilt in one transaction: one contact per E.164 (and one per
/// Viber id for Viber-only rows) from the normalized rows in key order, each
/// written by `ContactWriter` with the fields `merge` picks (Core's survivorship);
/// Viber-only rows whose Viber id also appears on a row with a number join that
/// number's contact; export consent recorded in the ledger; the stage recorded.
extension JobStore {
    public func rebuildContacts(
        context: StageContext, progress: any ProgressSink,
        merge: (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact
    ) throws -> DedupeReport {
        var report = DedupeReport()
        try write { db in
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
            let rows: SQL = """
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
            let (cursor, at) = try db.positionedCursor(literal: rows)
            let total =
                try SQLRequest<Int>("SELECT COUNT(*) FROM normalized_rows WHERE outcome IN (\(ok), \(viberOnly))").fetchOne(db)
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
                let contact = merge(writer.priorities, group)
                try writer.insert(
                    id: id, e164: isViberOnly ? nil : key, region: region, numberType: numberType, rows: group,
                    contact: contact)
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
            let mergeRow = MergeRowColumns(at)
            let (keyAt, regionAt, typeAt, linkedAt) = (at("key"), at("region"), at("number_type"), at("linked"))
            while let row = try cursor.next() {
                let key: String = row[keyAt]
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
                group.append(mergeRow.row(row))
                if region == nil { region = row[regionAt] }
                if numberType == nil { numberType = row[typeAt] }
                if (row[linkedAt] as Int) == 1 { linked += 1 }
            }
            try flush()
            progress.update("dedupe", done: report.rowsIn, total: total, unit: "rows")
            progress.finish("dedupe")
            let bound = try stageReviewOptOuts(db, ledger: ledger)
            let recorded = try ledger.record(recordedAt: Clock.unixNow())
            report.consentEventsAdded = recorded.added
            report.consentFromLedger = try ContactConsent.refreshAfterDedupe(db, exportEventsOfThisExtract: recorded.staged)
            if !bound.isEmpty {
                report.consentFromLedger = (report.consentFromLedger ?? 0) + (try ContactConsent.refresh(db, addresses: bound))
            }
            try db.execute(sql: "DROP TABLE temp.viber_link")
            try Schema.createDedupeIndexes(db)
            try context.complete(.dedupe, rowsIn: report.rowsIn, rowsOut: report.contacts, details: report, in: db)
        }
        return report
    }

    /// The opt-outs of rows in review, staged for every candidate number (see
    /// `ExportConsentRecorder.stageReviewOptOut`); returns the addresses they bind.
    private func stageReviewOptOuts(_ db: Database, ledger: ExportConsentRecorder) throws -> [String] {
        var addresses: [String] = []
        let rows = try SQLRequest<Row>(
            """
            SELECT n.candidates, r.source_id, r.record, r.consent_at FROM normalized_rows n
            JOIN input_rows r ON r.id = n.row_id
            WHERE n.outcome = \(RowOutcome.review) AND r.consent = \(ConsentState.optedOut.rawValue)
            """
        ).fetchAll(db)
        for row in rows {
            let candidates = ((row["candidates"] as String?) ?? "").components(separatedBy: " | ").filter { !$0.isEmpty }
            for (index, address) in candidates.enumerated() {
                try ledger.stageReviewOptOut(
                    sourceID: row["source_id"], record: row["record"], at: row["consent_at"], candidate: index, address: address,
                    contactID: Self.contactID(salt: salt, key: address))
                addresses.append(address)
            }
        }
        return addresses
    }

    /// `c` + 16 hex digits of SHA-256(job salt | key): stable within a job, opaque outside it.
    public static func contactID(salt: String, key: String) -> String {
        let digest = SHA256.hash(data: Data("\(salt)|\(key)".utf8))
        return "c" + Hex.string(digest.prefix(8))
    }
}
