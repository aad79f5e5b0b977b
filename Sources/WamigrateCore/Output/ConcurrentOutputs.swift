import Foundation
import WamigrateModel

/// The run's output files written on their own thread, from a second store connection,
/// while the caller goes on with the store's own connection; `wait` gives the files and
/// the seconds they took, or the error that stopped them.
final class ConcurrentOutputs: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<(WrittenOutputs, Double), any Error> = .failure(CancellationError())
    private var waited = false

    static func start(_ outputs: PipelineOutputs, reader store: any PipelineStore) throws -> ConcurrentOutputs {
        let reader = try store.concurrentReader()
        let job = ConcurrentOutputs()
        let thread = Thread {
            let started = Date()
            job.result = Result { (try outputs.write(store: reader), Date().timeIntervalSince(started)) }
            job.done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
        return job
    }

    /// Blocks until the files are written; a second call returns the same result.
    func wait() throws -> (WrittenOutputs, Double) {
        if !waited {
            done.wait()
            waited = true
        }
        return try result.get()
    }
}
