import Foundation
import Testing
import WamigrateBase
import WamigrateModel
import WamigratePostgres
import WamigrateTestSupport

/// Normalize shared by several workers (`NormalizeBatchStore`), on the engines that have it:
/// each batch claimed by one worker at a time, its rows and its `done` committed together.
@Suite("Store: normalize batches for several workers")
struct NormalizeBatchStoreTests {
    static let engines = StoreEngine.stages.filter { $0 == .postgres }
    static let plan = NormalizePlan(fingerprint: "f", defaultRegion: "DE")

    /// A job with `rows` extracted rows, and a second handle on it (a worker's: no writer lock).
    func job(_ engine: StoreEngine, rows: Int) throws -> (
        coordinator: any StageStore & NormalizeBatchStore,
        worker: () throws -> any NormalizeBatchStore, kept: AnyObject
    ) {
        let (store, kept) = try engine.freshStages()
        try Seed.extract(store, (1...rows).map { SeedRow(phone: "+49151000\($0)") })
        let coordinator = try #require(store as? any StageStore & NormalizeBatchStore)
        let path = store.path
        return (coordinator, { try PostgresJobStore(existing: PostgresAddress(path)!) }, kept)
    }

    /// Writes every cell of a claimed batch as a rejected row and says which rows it saw.
    static func reject(_ cells: [PhoneCell], _ tables: any NormalizedTables) throws -> Data {
        for cell in cells {
            try tables.add(
                rowID: cell.id, outcome: .rejected, e164: nil, region: nil, regionSource: nil, numberType: nil,
                phoneExtension: nil, extraNumbers: nil, flags: nil, reason: "test", candidates: nil)
        }
        return try JSONEncoder().encode(cells.map(\.id))
    }

    @Test(arguments: engines)
    func twoWorkersAtOnceDoEveryBatchOnce(_ engine: StoreEngine) throws {
        let (coordinator, worker, kept) = try job(engine, rows: 97)
        defer { withExtendedLifetime(kept) {} }
        let planned = try coordinator.planNormalize(Self.plan, size: 4)
        #expect(planned.batches == 25 && planned.rows == 97 && planned.batchesDone == 0)
        let workers = [try worker(), try worker()]
        let failures = ErrorBox()
        // Two threads, each its own connection, as two processes would be.
        let finished = DispatchGroup()
        for (index, store) in workers.enumerated() {
            finished.enter()
            Thread {
                defer { finished.leave() }
                do {
                    while try store.normalizeNextBatch(
                        worker: "w\(index)", plan: Self.plan,
                        { cells, tables in
                            Thread.sleep(forTimeInterval: 0.01)  // long enough for the other to claim meanwhile
                            return try Self.reject(cells, tables)
                        })
                    {}
                } catch {
                    failures.add(error)
                }
            }.start()
        }
        finished.wait()
        #expect(failures.errors.isEmpty, "\(failures.errors)")
        let done = try coordinator.normalizeProgress()
        #expect(done.batchesDone == 25 && done.rowsDone == 97)
        #expect(done.workers.count == 2 && done.workers.values.reduce(0, +) == 25, "\(done.workers)")
        let reports = try #require(try coordinator.normalizeBatchReports())
        let seen = try reports.flatMap { try JSONDecoder().decode([Int64].self, from: $0) }
        #expect(seen == Array(1...97), "every row in exactly one batch, in order")
        #expect(try coordinator.books().rejected == 97)
    }

    /// A worker never waits for another: while one holds its batch, the next claims the next batch.
    @Test(arguments: engines)
    func aClaimSkipsTheBatchAnotherWorkerHolds(_ engine: StoreEngine) throws {
        let (coordinator, worker, kept) = try job(engine, rows: 6)
        defer { withExtendedLifetime(kept) {} }
        _ = try coordinator.planNormalize(Self.plan, size: 3)
        let (holder, other) = (try worker(), try worker())
        let holding = DispatchSemaphore(value: 0)
        let otherDone = DispatchSemaphore(value: 0)
        let held = ErrorBox()
        let otherFinishedWhileHeld = Flag()
        let thread = Thread {
            do {
                _ = try holder.normalizeNextBatch(worker: "holder", plan: Self.plan) { cells, tables in
                    holding.signal()
                    otherFinishedWhileHeld.value = otherDone.wait(timeout: .now() + 10) == .success
                    return try Self.reject(cells, tables)
                }
            } catch {
                held.add(error)
            }
            holding.signal()
        }
        thread.start()
        holding.wait()
        var claimed: [Int64] = []
        #expect(
            try other.normalizeNextBatch(worker: "other", plan: Self.plan) { cells, tables in
                claimed = cells.map(\.id)
                return try Self.reject(cells, tables)
            })
        otherDone.signal()
        holding.wait()
        #expect(held.errors.isEmpty, "\(held.errors)")
        #expect(claimed == [4, 5, 6])
        #expect(otherFinishedWhileHeld.value, "the second claim waited for the first worker's batch")
        #expect(try coordinator.normalizeProgress().batchesDone == 2)
    }

    /// A plan replaced while a worker still writes one of its batches: the worker's rows,
    /// committed after the new plan started clearing, are gone all the same.
    @Test(arguments: engines)
    func aReplanWaitsForTheWorkerWritingAndClearsItsRows(_ engine: StoreEngine) throws {
        let (coordinator, worker, kept) = try job(engine, rows: 6)
        defer { withExtendedLifetime(kept) {} }
        _ = try coordinator.planNormalize(Self.plan, size: 3)
        let holder = try worker()
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let failures = ErrorBox()
        let thread = Thread {
            do {
                _ = try holder.normalizeNextBatch(worker: "slow", plan: Self.plan) { cells, tables in
                    let report = try Self.reject(cells, tables)
                    holding.signal()
                    _ = release.wait(timeout: .now() + 10)
                    return report
                }
            } catch {
                failures.add(error)
            }
            holding.signal()
        }
        thread.start()
        holding.wait()
        // The re-plan starts while the batch is being written, and lets it finish a moment later.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { release.signal() }
        let replanned = try coordinator.planNormalize(NormalizePlan(fingerprint: "g", defaultRegion: "TR"), size: 3)
        holding.wait()
        #expect(failures.errors.isEmpty, "\(failures.errors)")
        #expect(replanned.batchesDone == 0 && replanned.batches == 2)
        #expect(try coordinator.books().rejected == 0, "the replaced plan's batch left rows behind")
    }

    @Test(arguments: engines)
    func aWorkerThatFailsLeavesItsBatchToTheNext(_ engine: StoreEngine) throws {
        let (coordinator, worker, kept) = try job(engine, rows: 10)
        defer { withExtendedLifetime(kept) {} }
        _ = try coordinator.planNormalize(Self.plan, size: 5)
        struct Died: Error {}
        let first = try worker()
        #expect(throws: (any Error).self) {
            _ = try first.normalizeNextBatch(worker: "dies", plan: Self.plan) { cells, tables in
                _ = try Self.reject(cells, tables)
                throw Died()
            }
        }
        #expect(try coordinator.normalizeProgress().batchesDone == 0)
        #expect(try coordinator.books().rejected == 0, "the failed batch's rows were rolled back")
        var claimed: [Int64] = []
        #expect(
            try worker().normalizeNextBatch(worker: "next", plan: Self.plan) { cells, tables in
                claimed = cells.map(\.id)
                return try Self.reject(cells, tables)
            })
        #expect(claimed == [1, 2, 3, 4, 5])
    }

    @Test(arguments: engines)
    func anUnfinishedPlanIsResumedAndAnotherOneStartsOver(_ engine: StoreEngine) throws {
        let (coordinator, worker, kept) = try job(engine, rows: 9)
        defer { withExtendedLifetime(kept) {} }
        let plan = NormalizePlan(fingerprint: "one", defaultRegion: "DE")
        _ = try coordinator.planNormalize(plan, size: 3)
        #expect(try worker().normalizeNextBatch(worker: "w", plan: plan, Self.reject))
        #expect(try coordinator.normalizePlan() == plan)
        #expect(try coordinator.planNormalize(plan, size: 3).batchesDone == 1, "the same plan keeps its done batch")
        #expect(try coordinator.normalizeBatchReports() == nil, "not every batch is done")
        let other = NormalizePlan(fingerprint: "two", defaultRegion: "TR")
        let replanned = try coordinator.planNormalize(other, size: 3)
        #expect(replanned.batchesDone == 0 && replanned.batches == 3)
        #expect(try coordinator.books().rejected == 0, "another plan's rows are cleared")
        #expect(
            try !worker().normalizeNextBatch(worker: "w", plan: plan, Self.reject),
            "a worker of the replaced plan claims none of the new one's batches")
        #expect(try worker().normalizeNextBatch(worker: "w", plan: other, Self.reject))
    }
}

/// Errors from several threads, collected.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [any Error] = []
    var errors: [any Error] { lock.withLock { collected } }
    func add(_ error: any Error) { lock.withLock { collected.append(error) } }
}

/// A yes/no set on one thread and read on another after they met (a semaphore orders them).
final class Flag: @unchecked Sendable {
    var value = false
}
