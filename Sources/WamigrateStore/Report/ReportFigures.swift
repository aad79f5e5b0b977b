import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

/// The report's figures on SQLite: the sections every engine computes alike (`AuditSections`),
/// each by running the very query the report prints next to it, so an auditor who runs that
/// query with `sqlite3` gets the same number. Core's `ReportBuilder` adds the rules (cost,
/// tiers) and renders them.
struct ReportFigures {
    var request: AuditRequest

    init(_ request: AuditRequest) { self.request = request }

    /// The figures of the store's last finished run; each query's kept result is used while
    /// the tables it reads are unchanged.
    func collect(store: JobStore) throws -> AuditFigures {
        try store.read { db in
            let memo = request.keptResults ? try QueryMemo(db, mode: .replay) : .live
            let sections = try self.sections(db, memo: memo)
            let runID = try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM run_manifests")
            let lastRun = try runID.flatMap { id in
                try RunManifest.load(db, run: id).map { (id: id, manifest: $0) }
            }
            return try sections.figures(lastRun: lastRun, path: store.path, books: { try Books.compute(db) })
        }
    }

    /// Runs every query the report runs (with this request) and returns their results to keep.
    func record(store: JobStore) throws -> [String: String] {
        try store.read { db in
            let memo = try QueryMemo(db, mode: .record)
            let sections = try self.sections(db, memo: memo)
            _ = try sections.sections()
            _ = try sections.readyByMarket()
            return memo.recorded
        }
    }

    private func sections(_ db: Database, memo: QueryMemo) throws -> AuditSections {
        AuditSections(request, reader: SQLiteReportReader(db: db, memo: memo), files: try Lineage(db).fileNames)
    }
}
