import Foundation
import WamigrateModel

/// The auditor's figures on PostgreSQL: the sections every engine computes alike
/// (`AuditSections`), each by the query the report prints beside it, in PostgreSQL's own SQL, so
/// an auditor who runs it with `psql` gets the same number. One snapshot for all of them.
extension PostgresJobStore: AuditStore {
    public func auditFigures(_ request: AuditRequest) throws -> AuditFigures {
        try read {
            let sections = AuditSections(
                request, reader: PostgresReportReader(connection: connection),
                files: try JobSources(connection).lineage.fileNames)
            return try sections.figures(lastRun: try reportedRun(), path: path, books: { try countBooks() })
        }
    }

    /// The last run with a manifest (`finishRun(audit:)` keeps it), read as on SQLite.
    private func reportedRun() throws -> (id: Int64, manifest: RunManifest)? {
        guard let id = try connection.execute("SELECT MAX(run_id) FROM run_manifests").scalarString.flatMap(Int64.init),
            let manifest = try RunManifest.load(from: PostgresAuditReader(connection: connection), run: id)
        else { return nil }
        return (id, manifest)
    }
}
