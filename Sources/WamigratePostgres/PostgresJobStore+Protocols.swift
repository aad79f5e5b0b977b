import Foundation
import WamigrateBase
import WamigrateModel

// The PostgreSQL store conforms to the protocols the pipeline's stages write through
// (`StageStore`): extract, normalize, dedupe, verify with no verifier, import, the books and
// the output files; campaigns, waves, webhooks, the run audit, trace and diff in their own files.
extension PostgresJobStore: PipelineStore, VerifyStore {
    /// No snapshot is taken: a PostgreSQL job is backed up by the server's own means (`pg_dump`,
    /// base backups); `--keep-backups` covers SQLite files only (the README says so).
    public func backUpIfChanged(reason: String, keep: Int, excludingRun: Int64?) throws -> StoreBackup? { nil }

    public func readOutputs<T>(_ body: (any OutputRows) throws -> T) throws -> T {
        try read { try body(PostgresOutputRows(connection: connection, lineage: try JobSources(connection).lineage)) }
    }

    /// A second connection to the same database, without the writer lock.
    public func concurrentReader() throws -> any PipelineStore { try PostgresJobStore(existing: address) }

    /// The report's query results are not kept on this engine yet: `report` runs its queries itself.
    public func readReportQueries(_ request: AuditRequest) throws -> KeptQueries { KeptQueries(results: [:]) }

    public func keepReportQueries(_ kept: KeptQueries) throws {}

    public func clearImportLists() throws { try write { try clear(from: .import) } }

    /// Verify's end, in one transaction: contacts that share a wa_id merged (fields picked
    /// again by `merge`), the statuses counted, and the stage recorded.
    public func finishVerify<Report: Encodable>(
        context: StageContext, report: inout Report,
        merge: @escaping (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact,
        apply: (inout Report, VerifyTotals) -> Void
    ) throws {
        try write {
            var totals = VerifyTotals()
            totals.waIDMerges = try mergeContactsSharingWaIDs(merge: merge)
            let counts = try connection.execute(
                """
                SELECT COALESCE(r.status, $1) AS status, COUNT(*) AS n FROM contacts c
                LEFT JOIN registrations r ON r.e164 = c.e164 WHERE c.e164 IS NOT NULL GROUP BY 1
                """, [RegistrationStatus.unknown.rawValue])
            for index in 0..<counts.count {
                totals.statuses[counts.string(index, 0) ?? ""] = counts.int(index, 1) ?? 0
            }
            totals.waIDDiffers =
                try connection.execute(
                    """
                    SELECT COUNT(*) FROM contacts c JOIN registrations r ON r.e164 = c.e164
                    WHERE r.wa_id IS NOT NULL AND '+' || r.wa_id != c.e164
                    """
                ).scalarInt ?? 0
            totals.contacts = try connection.execute("SELECT COUNT(*) FROM contacts").scalarInt ?? 0
            apply(&report, totals)
            try complete(
                .verify, context: context, rowsIn: totals.contacts, rowsOut: totals.statuses.values.reduce(0, +),
                details: report)
        }
    }
}
