import Foundation
import GRDB
import WamigrateBase

/// Import's table, rebuilt in one transaction: every contact in exactly one list
/// (where `place` puts it from its ledger tally, number and WhatsApp status: Core's
/// `ImportList.place`), every rejected input row in `rejected`, the books checked
/// and the stage recorded.
extension JobStore {
    public func rebuildImportLists(
        context: StageContext, policy: ConsentPolicy, progress: any ProgressSink,
        place: (ConsentTally, _ e164: String?, RegistrationStatus?) -> (ImportList, channel: Channel?, reason: ListReason?),
        olderStore: (_ exportEventsAdded: Int) -> Void
    ) throws -> ImportReport {
        var report = ImportReport()
        report.whatsappConsentSources = policy.whatsappSources
        try write { db in
            try JobStore.clear(from: .import, in: db)
            // Built once after the bulk load: inserting contacts in number order into
            // an index on their hashed ids is a random B-tree walk per contact.
            try db.execute(sql: "DROP INDEX IF EXISTS import_lists_contact")
            if try !JobStore.dedupeRecordedExportConsent(db) {
                let added = try JobStore.appendExportConsent(db, recordedAt: Clock.unixNow())
                olderStore(added)
            }
            try JobStore.buildTallyTables(db, policy: policy)
            defer { try? JobStore.dropTallyTables(db) }
            let insert = try db.makeBulkStatement(
                sql: """
                    INSERT INTO import_lists (list, contact_id, row_id, channel, status, reason, consent_event, consent)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts") ?? 0
            progress.update("import", done: 0, total: total, unit: "contacts")
            let (contacts, at) = try db.positionedCursor(
                sql: """
                    SELECT c.id, c.e164, r.status, COALESCE(k1.id, k2.id) AS consent_event, \(JobStore.tallySelect)
                    FROM contacts c
                    LEFT JOIN registrations r ON r.e164 = c.e164
                    \(JobStore.tallyJoins)
                    LEFT JOIN temp.counted_opt_in k1 ON k1.address = c.e164
                    LEFT JOIN temp.counted_opt_in k2 ON k2.address = 'viber:' || c.viber_id
                    ORDER BY c.seq
                    """)
            let (idAt, e164At, statusAt, eventAt) = (at("id"), at("e164"), at("status"), at("consent_event"))
            let tallies = ContactTallyColumns(at)
            while let row = try contacts.next() {
                let id: String = row[idAt]
                let status = (row[statusAt] as String?).flatMap(RegistrationStatus.init(rawValue:))
                let tally = tallies.tally(row)
                let placed = place(tally, row[e164At], status)
                let evidence: Int64? = placed.0 == .whatsappReady ? row[eventAt] : nil
                let channel = placed.channel?.rawValue ?? "none"
                var bulk = BulkStatement(insert)
                bulk.bind(placed.0.rawValue)
                bulk.bind(id)
                bulk.bind(nil as Int64?)
                bulk.bind(channel)
                bulk.bind((status ?? .unknown).rawValue)
                bulk.bind(placed.reason?.rawValue)
                bulk.bind(evidence)
                bulk.bind(tally.state.rawValue)
                try bulk.step()
                report.contacts += 1
                if report.contacts % 8192 == 0 || report.contacts == total {
                    progress.update("import", done: report.contacts, total: total, unit: "contacts")
                }
                report.lists[placed.0.rawValue, default: 0] += 1
                report.channels[channel, default: 0] += 1
            }
            // Input rows that became no contact: rejected by normalize, or in review.
            func listRows(_ outcome: RowOutcome, as list: ImportList) throws -> Int {
                try db.execute(
                    literal: """
                        INSERT INTO import_lists (list, contact_id, row_id, channel, status, reason)
                        SELECT \(list), NULL, row_id, 'none', \(list.rawValue), reason FROM normalized_rows
                        WHERE outcome = \(outcome)
                        """)
                return db.changesCount
            }
            report.rejectedRows = try listRows(.rejected, as: .rejected)
            report.reviewRows = try listRows(.review, as: .review)
            progress.finish("import")
            try db.execute(sql: "CREATE INDEX import_lists_contact ON import_lists(contact_id)")
            report.lists["rejected", default: 0] += report.rejectedRows
            if report.reviewRows > 0 { report.lists["review", default: 0] += report.reviewRows }
            try report.checkBalance { try Int.fetchOne(db, sql: $0) ?? 0 }
            try context.complete(
                .import, rowsIn: report.contacts + report.rejectedRows + report.reviewRows,
                rowsOut: report.lists.values.reduce(0, +),
                details: report, in: db)
        }
        return report
    }

}
