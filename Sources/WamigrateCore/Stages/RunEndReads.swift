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
    private var threads: [ReaderThread] = []
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
                ReaderThread(listsReader) { reader in
                    let started = Date()
                    let files = try lists.write(store: reader)
                    job.lists = (files, Date().timeIntervalSince(started))
                })
        }
        job.threads.append(
            ReaderThread(outputsReader) { reader in
                if let outputs {
                    let started = Date()
                    let written = try outputs.write(store: reader)
                    job.outputs = (written, Date().timeIntervalSince(started))
                }
                let started = Date()
                let kept = Result { try reader.readReportQueries(request) }
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

/// One read-only connection and the thread that uses it.
private final class ReaderThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var reader: (any PipelineStore)?
    private var failure: (any Error)?

    /// Runs `body` on `connection` (a read-only connection of its own) on a new thread.
    init(_ connection: any PipelineStore, _ body: @escaping (any PipelineStore) throws -> Void) {
        reader = connection
        let thread = Thread { [self] in
            do {
                guard let reader else { throw CancellationError() }
                try body(reader)
            } catch {
                failure = error
            }
            // Closed before `wait` returns: a read-only connection still open when the writer
            // closes leaves the WAL uncheckpointed (the last connection to close checkpoints
            // it), and a copy of the store file alone would then miss the run.
            reader = nil
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    func wait() throws {
        done.wait()
        done.signal()  // a later `wait` returns at once
        if let failure { throw failure }
    }
}
