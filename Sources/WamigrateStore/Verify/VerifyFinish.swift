import GRDB
import WamigrateBase

extension JobStore {
    /// Clears import's lists before verify changes what they were made from.
    public func clearImportLists() throws {
        try write { try JobStore.clear(from: .import, in: $0) }
    }

    /// Verify's end, in one transaction: contacts that share a wa_id merged (fields
    /// picked again by `merge`), the statuses counted, and the stage recorded with
    /// the report `apply` completes from the totals.
    public func finishVerify<Report: Encodable>(
        context: StageContext, report: inout Report,
        merge: @escaping (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact,
        apply: (inout Report, VerifyTotals) -> Void
    ) throws {
        try write { db in
            var totals = VerifyTotals()
            totals.waIDMerges = try WaIDReconciler(merge: merge).run(db)
            let counts = try SQLRequest<Row>(
                """
                SELECT COALESCE(r.status, \(RegistrationStatus.unknown)) AS status, COUNT(*) AS n FROM contacts c
                LEFT JOIN registrations r ON r.e164 = c.e164 WHERE c.e164 IS NOT NULL GROUP BY 1
                """
            ).fetchAll(db)
            for row in counts { totals.statuses[row["status"]] = row["n"] }
            totals.waIDDiffers =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM contacts c JOIN registrations r ON r.e164 = c.e164
                        WHERE r.wa_id IS NOT NULL AND '+' || r.wa_id != c.e164
                        """) ?? 0
            totals.contacts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts") ?? 0
            apply(&report, totals)
            try context.complete(
                .verify, rowsIn: totals.contacts, rowsOut: totals.statuses.values.reduce(0, +), details: report, in: db)
        }
    }
}
