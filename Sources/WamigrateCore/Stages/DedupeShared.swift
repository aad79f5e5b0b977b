import Foundation
import Logging
import WamigrateBase
import WamigrateModel

/// Dedupe on an engine several processes write at once (`DedupePartitionStore`): the
/// coordinator plans the partitions and works on them on `threads` connections like any worker
/// (`wamigrate dedupe --worker`, started on this or other machines, joins it), then waits for
/// the partitions others hold and records the stage.
extension DedupeStage {
    func runShared(_ context: StageContext, store: any DedupePartitionStore) throws -> DedupeReport {
        var now = try store.planDedupe(fingerprint: context.fingerprint, rows: partitionRows)
        progress.update("dedupe", done: now.rowsDone, total: now.rows, unit: "rows")
        let helpers = try HelperThreads(store: store, count: threads - 1)
        defer { helpers.wait() }
        while true {
            helpers.start(fingerprint: context.fingerprint)
            while try store.dedupeNextPartition(worker: Self.workerName, fingerprint: context.fingerprint, merge: Self.merge) {
                now = try store.dedupeProgress()
                progress.update("dedupe", done: now.rowsDone, total: now.rows, unit: "rows")
            }
            helpers.wait()
            if let report = try store.finishDedupe(context: context) {
                progress.finish("dedupe")
                helpers.logFailures(logger)
                logger.info(
                    "dedupe: \(report.contacts) contacts (\(report.merged) rows merged, \(report.conflicts.values.reduce(0, +)) conflicts flagged), by \(now.workers.count) workers"
                )
                return report
            }
            // Others hold the rest; a partition a killed worker held is free again at once.
            Thread.sleep(forTimeInterval: 0.2)
            now = try store.dedupeProgress()
            progress.update("dedupe", done: now.rowsDone, total: now.rows, unit: "rows")
        }
    }

    /// One worker (`dedupe --worker`): joins the job's unfinished dedupe, the one planned when it
    /// starts or within `waitForPlan` seconds, and follows it until every partition is done (a
    /// plan replaced meanwhile is followed too). It joins only a plan it would merge alike: the
    /// normalize it reads and its build must give the plan's fingerprint.
    public func runWorker(store: any DedupePartitionStore & PipelineStore, waitForPlan: TimeInterval) throws
        -> BatchProgress
    {
        let deadline = Date().addingTimeInterval(waitForPlan)
        var helpers: HelperThreads?
        defer {
            helpers?.wait()
            helpers?.logFailures(logger)
        }
        while true {
            let plan = try store.dedupePlan()
            if let plan {
                if fingerprint(upstream: try store.completedFingerprint(.normalize)) == plan {
                    if helpers == nil { helpers = try HelperThreads(store: store, count: threads - 1) }
                    helpers!.start(fingerprint: plan)
                    while try store.dedupeNextPartition(worker: Self.workerName, fingerprint: plan, merge: Self.merge) {
                        let now = try store.dedupeProgress()
                        progress.update("dedupe", done: now.rowsDone, total: now.rows, unit: "rows")
                    }
                    helpers!.wait()
                } else if Date() >= deadline {
                    throw WamigrateError(
                        .worker,
                        "this worker would merge differently from the job's plan (another wamigrate build, or normalize changed)",
                        hint: "run the same wamigrate build as the coordinator (`wamigrate --version` on both)")
                }
            } else if helpers != nil || Date() >= deadline {
                guard helpers != nil else {
                    throw WamigrateError(
                        .worker, "no dedupe is planned on this job",
                        hint: "start `wamigrate dedupe` (or run) on the job first; --wait gives it time")
                }
                progress.finish("dedupe")
                return try store.dedupeProgress()
            }
            Thread.sleep(forTimeInterval: helpers != nil ? 0.2 : 0.5)
        }
    }

    static func merge(_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact {
        Survivorship(priorities: priorities).merge(rows)
    }

    /// `host:pid`: which worker did a partition.
    static var workerName: String { "\(ProcessInfo.processInfo.hostName):\(getpid())" }
}

/// More connections of this process claiming partitions, each on a thread of its own, until
/// none is free; a connection that fails is dropped (its partition is free again for the others).
private final class HelperThreads: @unchecked Sendable {
    private let done = DispatchGroup()
    private let lock = NSLock()
    private var handles: [any DedupePartitionStore]
    private var errors: [any Error] = []

    init(store: any DedupePartitionStore, count: Int) throws {
        handles = try (0..<max(0, count)).map { _ in try store.dedupeHelper() }
    }

    /// Every handle claims partitions of the plan with `fingerprint` until none is free.
    func start(fingerprint: String) {
        for handle in lock.withLock({ handles }) {
            done.enter()
            Thread { [self] in
                defer { done.leave() }
                do {
                    while try handle.dedupeNextPartition(
                        worker: DedupeStage.workerName, fingerprint: fingerprint, merge: DedupeStage.merge)
                    {}
                } catch {
                    lock.withLock {
                        errors.append(error)
                        handles.removeAll { $0 === handle }
                    }
                }
            }.start()
        }
    }

    func wait() { done.wait() }

    func logFailures(_ logger: Logger) {
        for failure in lock.withLock({ errors }) {
            logger.warning("dedupe: a connection failed and was dropped (another worker took its partition): \(failure)")
        }
    }
}
