import Foundation
import WamigrateBase
import WamigrateModel

/// What the end of a run reads on second store connections and their own threads, while the
/// caller counts the books and records the audit step on the store's own connection: the
/// import list files on one; the output files, then the report's query results (kept for
/// `report`) on another. `wait` gives them all.
final class RunEndReads: @unchecked Sendable {
    struct Results {
        var outputs: WrittenOutputs?
        var outputSeconds: Double?
        var importFiles: [String]?
        var importFileSeconds: Double?
        var reportQueries: Result<KeptQueries, any Error> = .failure(CancellationError())
        var reportQuerySeconds = 0.0
    }

    // One set per thread (separate properties: the threads never touch the same one).
    private var lists: (files: [String], seconds: Double)?
    private var outputs: (written: WrittenOutputs, seconds: Double)?
    private var queries: (kept: Result<KeptQueries, any Error>, seconds: Double)?
    /// One thread per connection; each lets its connection go before its `wait` returns (a
    /// read-only connection still open when the writer closes leaves the WAL uncheckpointed,
    /// and a copy of the store file alone would then miss the run).
    private var threads: [HandOff<Never>] = []
    private var waited: Result<Results, any Error>?

    static func start(
        _ outputs: PipelineOutputs?, lists: ImportListFiles?, report request: AuditRequest,
        reader store: any PipelineStore
    ) throws -> RunEndReads {
        let job = RunEndReads()
        // Every connection is opened before any thread starts: a failure here leaves no
        // thread behind writing files or holding a connection.
        let listsReader = try lists.map { _ in try store.concurrentReader() }
        let outputsReader = try store.concurrentReader()
        if let lists, let listsReader {
            job.threads.append(
                HandOff.start { _ in
                    let started = Date()
                    let files = try lists.write(store: listsReader)
                    job.lists = (files, Date().timeIntervalSince(started))
                })
        }
        job.threads.append(
            HandOff.start { _ in
                if let outputs {
                    let started = Date()
                    let written = try outputs.write(store: outputsReader)
                    job.outputs = (written, Date().timeIntervalSince(started))
                }
                let started = Date()
                let kept = Result { try outputsReader.readReportQueries(request) }
                job.queries = (kept, Date().timeIntervalSince(started))
            })
        return job
    }

    /// Blocks until every thread is done; a second call returns the same result. An error
    /// writing files is thrown; one reading the report's queries is in `reportQueries`.
    func wait() throws -> Results {
        if waited == nil {
            var failure: (any Error)?
            for thread in threads {
                do { try thread.wait() } catch { failure = failure ?? error }
            }
            var results = Results()
            (results.importFiles, results.importFileSeconds) = (lists?.files, lists?.seconds)
            (results.outputs, results.outputSeconds) = (outputs?.written, outputs?.seconds)
            if let queries { (results.reportQueries, results.reportQuerySeconds) = queries }
            waited = failure.map { .failure($0) } ?? .success(results)
        }
        return try waited!.get()
    }
}
