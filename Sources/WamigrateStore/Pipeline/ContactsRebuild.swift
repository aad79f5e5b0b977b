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
            let (ok, viberOnly) = (RowOutcome.ok, RowOutcome.viberOnly)
            let total =
                try SQLRequest<Int>("SELECT COUNT(*) FROM normalized_rows WHERE outcome IN (\(ok), \(viberOnly))").fetchOne(db)
                ?? 0
            progress.update("dedupe", done: 0, total: total, unit: "rows")
            func insert(_ prepared: PreparedContact) throws {
                let contact = prepared.contact
                try writer.insert(
                    id: prepared.id, e164: prepared.isViberOnly ? nil : prepared.key, region: prepared.region,
                    numberType: prepared.numberType, rows: prepared.rows, contact: contact)
                let address = prepared.address
                for row in prepared.rows { try ledger.stage(row, address: address, contactID: prepared.id) }
                for kind in contact.conflicts { report.conflicts[kind, default: 0] += 1 }
                report.contacts += 1
                if prepared.isViberOnly { report.viberOnlyContacts += 1 }
                report.kept += 1
                report.merged += prepared.rows.count - 1
                report.mergedViaViberID += prepared.linked
                report.consent[contact.consent.rawValue, default: 0] += 1
                let before = report.rowsIn
                report.rowsIn += prepared.rows.count
                if before / 8192 != report.rowsIn / 8192 {
                    progress.update("dedupe", done: report.rowsIn, total: total, unit: "rows")
                }
            }
            // Sorting, reading and merging the groups run on a second connection while this
            // one inserts (the reader is stopped and closed before the transaction ends).
            let priorities = writer.priorities
            try withoutActuallyEscaping(merge) { merge in
                let groups = try ContactGroupReader.start(path: path, salt: salt) { merge(priorities, $0) }
                defer { groups.stop() }
                while let batch = try groups.take() {
                    for prepared in batch { try insert(prepared) }
                }
            }
            progress.update("dedupe", done: report.rowsIn, total: total, unit: "rows")
            progress.finish("dedupe")
            let bound = try stageReviewOptOuts(db, ledger: ledger)
            let recorded = try ledger.record(recordedAt: Clock.unixNow())
            report.consentEventsAdded = recorded.added
            report.consentFromLedger = try ContactConsent.refreshAfterDedupe(db, exportEventsOfThisExtract: recorded.staged)
            if !bound.isEmpty {
                report.consentFromLedger = (report.consentFromLedger ?? 0) + (try ContactConsent.refresh(db, addresses: bound))
            }
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
    public static func contactID(salt: String, key: String) -> String { StoredContact.id(salt: salt, key: key) }
}
