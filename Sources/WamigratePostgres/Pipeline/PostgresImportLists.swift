import Foundation
import WamigrateBase
import WamigrateModel

/// Import on PostgreSQL, in one transaction: every contact in exactly one list (where `place`
/// puts it from its ledger tally, number and WhatsApp status: Core's `ImportList.place`), every
/// rejected and review row listed, the balance checked, the stage recorded. As the SQLite store's
/// `ImportListsRebuild`: a person's tally takes in their number, Viber id and the BSUIDs the
/// webhooks linked to the number (`PostgresTallyTables`).
extension PostgresJobStore {
    public func rebuildImportLists(
        context: StageContext, policy: ConsentPolicy, progress: any ProgressSink,
        place: (ConsentTally, _ e164: String?, RegistrationStatus?) -> (ImportList, channel: Channel?, reason: ListReason?),
        olderStore: (_ exportEventsAdded: Int) -> Void
    ) throws -> ImportReport {
        var report = ImportReport()
        report.whatsappConsentSources = policy.whatsappSources
        try write {
            try clear(from: .import)
            try buildTallyTables(policy: policy)
            let total = try connection.execute("SELECT COUNT(*) FROM contacts").scalarInt ?? 0
            progress.update("import", done: 0, total: total, unit: "contacts")
            var placed: [[(any PostgresBindable)?]] = []
            func copy() throws {
                guard !placed.isEmpty else { return }
                let lists = try connection.startCopy(
                    into: "import_lists",
                    columns: ["list", "contact_id", "row_id", "channel", "status", "reason", "consent_event", "consent"])
                for entry in placed { for value in entry { try lists.add(value) } }
                try lists.finish()
                placed.removeAll(keepingCapacity: true)
            }
            try connection.forEachBatch(
                """
                SELECT c.id, c.e164, r.status, COALESCE(k1.id, k2.id) AS consent_event, \(Self.tallySelect)
                FROM contacts c
                LEFT JOIN registrations r ON r.e164 = c.e164
                \(Self.tallyJoins)
                LEFT JOIN counted_opt_in k1 ON k1.address = c.e164
                LEFT JOIN counted_opt_in k2 ON k2.address = 'viber:' || c.viber_id
                ORDER BY c.seq
                """, size: 20_000
            ) { rows in
                let (idAt, e164At, statusAt, eventAt) = (
                    rows.column("id"), rows.column("e164"), rows.column("status"), rows.column("consent_event")
                )
                let tallies = ConsentTally.contactPositions(rows)
                for index in 0..<rows.count {
                    let status = rows.string(index, statusAt).flatMap(RegistrationStatus.init(rawValue:))
                    let tally = ConsentTally(contactRow: rows, index, at: tallies)
                    let (list, channel, reason) = place(tally, rows.string(index, e164At), status)
                    let evidence = list == .whatsappReady ? rows.int64(index, eventAt) : nil
                    let channelWord = channel?.rawValue ?? "none"
                    placed.append([
                        list, rows.string(index, idAt), nil as Int64?, channelWord, (status ?? .unknown).rawValue,
                        reason?.rawValue, evidence, tally.state,
                    ])
                    report.contacts += 1
                    report.lists[list.rawValue, default: 0] += 1
                    report.channels[channelWord, default: 0] += 1
                }
                try copy()
                progress.update("import", done: report.contacts, total: total, unit: "contacts")
            }
            // Input rows that became no contact: rejected by normalize, or in review.
            func listRows(_ outcome: RowOutcome, as list: ImportList) throws -> Int {
                try connection.execute(
                    """
                    INSERT INTO import_lists (list, contact_id, row_id, channel, status, reason)
                    SELECT $1, NULL, row_id, 'none', $1, reason FROM normalized_rows WHERE outcome = $2 ORDER BY row_id
                    """, [list, outcome]
                ).changes
            }
            report.rejectedRows = try listRows(.rejected, as: .rejected)
            report.reviewRows = try listRows(.review, as: .review)
            progress.finish("import")
            report.lists["rejected", default: 0] += report.rejectedRows
            if report.reviewRows > 0 { report.lists["review", default: 0] += report.reviewRows }
            try report.checkBalance { try connection.execute($0).scalarInt ?? 0 }
            try analyze("import_lists")
            try connection.run("DROP TABLE consent_tally, bsuid_tally, counted_opt_in")
            try complete(
                .import, context: context, rowsIn: report.contacts + report.rejectedRows + report.reviewRows,
                rowsOut: report.lists.values.reduce(0, +), details: report)
        }
        return report
    }
}
