import Foundation
import WamigrateModel

/// Runs batches on `concurrency` threads, each sending one batch at a time.
/// The first error stops new batches from starting; batches in flight finish.
final class BatchWorkers: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [VerifyBatch]
    private var next = 0
    private var done = 0
    private(set) var firstError: Error?

    init(_ batches: [VerifyBatch]) { queue = batches }

    func run(
        concurrency: Int, progress: @escaping @Sendable (Int) -> Void,
        work: @escaping @Sendable (VerifyBatch) throws -> Void
    ) {
        let group = DispatchGroup()
        for _ in 0..<max(1, min(concurrency, queue.count)) {
            group.enter()
            Thread.detachNewThread { [self] in
                defer { group.leave() }
                while let batch = take() {
                    do {
                        try work(batch)
                        progress(finishOne())
                    } catch {
                        record(error)
                    }
                }
            }
        }
        group.wait()
    }

    private func take() -> VerifyBatch? {
        lock.lock()
        defer { lock.unlock() }
        guard firstError == nil, next < queue.count else { return nil }
        next += 1
        return queue[next - 1]
    }

    private func finishOne() -> Int {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        return done
    }

    private func record(_ error: Error) {
        lock.lock()
        if firstError == nil { firstError = error }
        lock.unlock()
    }
}
