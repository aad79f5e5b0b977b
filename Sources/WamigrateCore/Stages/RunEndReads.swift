import Foundation
import WamigrateBase
import WamigrateModel

/// What the end of a run reads on a second store connection and its own thread, while the
/// caller counts the books and records the audit step on the store's own connection: the
/// output files, then the report's query results (kept for `report`). `wait` gives both.
final class RunEndReads: @unchecked Sendable {
    struct Results {
        var outputs: WrittenOutputs?
        var outputSeconds: Double?
        var reportQueries: Result<KeptQueries, any Error>
        var reportQuerySeconds = 0.0
    }

    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Results, any Error> = .failure(CancellationError())
    private var waited = false
    private var reader: (any PipelineStore)?

    static func start(
        _ outputs: PipelineOutputs?, report request: AuditRequest, reader store: any PipelineStore
    ) throws -> RunEndReads {
        let job = RunEndReads()
        job.reader = try store.concurrentReader()
        let thread = Thread {
            job.result = Result {
                guard let reader = job.reader else { throw CancellationError() }
                var results = Results(reportQueries: .failure(CancellationError()))
                if let outputs {
                    let started = Date()
                    results.outputs = try outputs.write(store: reader)
                    results.outputSeconds = Date().timeIntervalSince(started)
                }
                let started = Date()
                results.reportQueries = Result { try reader.readReportQueries(request) }
                results.reportQuerySeconds = Date().timeIntervalSince(started)
                return results
            }
            // Closed before `wait` returns: a read-only connection still open when the writer
            // closes leaves the WAL uncheckpointed (the last connection to close checkpoints
            // it), and a copy of the store file alone would then miss the run.
            job.reader = nil
            job.done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
        return job
    }

    /// Blocks until both are read; a second call returns the same result. An error writing
    /// the output files is thrown; one reading the report's queries is in `reportQueries`.
    func wait() throws -> Results {
        if !waited {
            done.wait()
            waited = true
        }
        return try result.get()
    }
}
