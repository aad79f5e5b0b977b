import Foundation
import Testing
import WamigrateBase
import WamigrateModel
import WamigratePostgres
import WamigrateTestSupport

/// Dedupe shared by several workers (`DedupePartitionStore`), on the engines that have it: a
/// number's rows never split between partitions, each partition merged by one worker at a
/// time and written with its `done`, and the contacts those workers make, in any order, the
/// ones one SQLite writer makes.
@Suite("Store: dedupe partitions for several workers", .serialized)
struct DedupePartitionStoreTests {
    static let engines = StoreEngine.stages.filter { $0 == .postgres }

    /// Twelve numbers, each on two to four rows far apart in the input (rows i, i + 12, i + 24 …), and
    /// every tenth row without a number; names and consent differ per row, so a merge that saw
    /// another number's rows, or a number's rows in two parts, would show.
    static let rows: [SeedRow] = (0..<40).map { index in
        guard index % 10 != 9 else { return SeedRow(phone: "n/a", e164: nil) }
        return SeedRow(
            phone: "p\(index)", e164: "+49151000001\(String(format: "%02d", (index * 7) % 12))",
            consent: index % 4 == 0 ? .optedIn : index % 4 == 1 ? .optedOut : .unknown,
            consentAt: 1_700_000_000 + Int64(index), name: "name \(index)")
    }

    /// A PostgreSQL job with the rows normalized, and its context for the stage run.
    func job(_ engine: StoreEngine) throws -> (
        store: any StageStore & DedupePartitionStore, context: StageContext, kept: AnyObject
    ) {
        let (store, kept) = try engine.freshStages()
        let context = try Seed.normalized(store, Self.rows)
        return (try #require(store as? any StageStore & DedupePartitionStore), context, kept)
    }

    /// What the outputs show of the contacts: the contact files' rows by number, and the list
    /// rows in the order import wrote them (which follows the contacts' own order).
    static func outputs(_ store: any StageStore) throws -> (contacts: [String], lists: [String]) {
        try store.readOutputs { rows in
            var contacts: [String] = []
            var lists: [String] = []
            try rows.forEachContact {
                contacts.append("\($0.e164 ?? "") \($0.name ?? "") \($0.consent ?? "") \($0.sourceRows ?? "")")
            }
            try rows.forEachListEntry { lists.append("\($0.list) \($0.e164 ?? "") \($0.consent ?? "")") }
            return (contacts, lists)
        }
    }

    @Test(arguments: engines)
    func aPartitionStartsOnANumbersFirstRowSoNoNumberIsSplit(_ engine: StoreEngine) throws {
        let (store, context, kept) = try job(engine)
        defer { withExtendedLifetime(kept) {} }
        // One row per partition asked: every partition grows to a whole number's rows.
        let planned = try store.planDedupe(fingerprint: context.fingerprint, rows: 1)
        #expect(planned.batches == 12 && planned.rows == 36 && planned.batchesDone == 0)
        while try store.dedupeNextPartition(worker: "w", fingerprint: context.fingerprint, merge: Seed.merge) {}
        let report = try #require(try store.finishDedupe(context: context))
        #expect(report.contacts == 12 && report.rowsIn == 36 && report.merged == 24)
    }

    @Test(arguments: engines)
    func twoConnectionsAtOnceMakeTheContactsOneSQLiteWriterMakes(_ engine: StoreEngine) throws {
        let (store, context, kept) = try job(engine)
        defer { withExtendedLifetime(kept) {} }
        let planned = try store.planDedupe(fingerprint: context.fingerprint, rows: 4)
        #expect(planned.batches >= 6)
        let helpers = [try store.dedupeHelper(), try store.dedupeHelper()]
        let failures = ErrorBox()
        let finished = DispatchGroup()
        for (index, helper) in helpers.enumerated() {
            finished.enter()
            Thread {
                defer { finished.leave() }
                do {
                    while try helper.dedupeNextPartition(
                        worker: "w\(index)", fingerprint: context.fingerprint,
                        merge: { priorities, rows in
                            Thread.sleep(forTimeInterval: 0.01)  // long enough for the other to claim meanwhile
                            return Seed.merge(priorities, rows)
                        })
                    {}
                } catch {
                    failures.add(error)
                }
            }.start()
        }
        finished.wait()
        #expect(failures.errors.isEmpty, "\(failures.errors)")
        let progress = try store.dedupeProgress()
        #expect(progress.finished && progress.rowsDone == 36)
        #expect(progress.workers.values.reduce(0, +) == planned.batches)
        let report = try #require(try store.finishDedupe(context: context))
        #expect(report.contacts == 12 && report.merged == 24)
        try Seed.imported(context)

        let (reference, referenceKept) = try StoreEngine.sqlite.freshStages()
        defer { withExtendedLifetime(referenceKept) {} }
        try Seed.pipeline(reference, Self.rows)
        let (shared, alone) = (try Self.outputs(store), try Self.outputs(reference))
        #expect(shared.contacts.count == 12)
        #expect(shared.contacts == alone.contacts)
        #expect(shared.lists == alone.lists)
    }

    @Test(arguments: engines)
    func aWorkerCutOffInAPartitionLeavesItWholeForAnother(_ engine: StoreEngine) throws {
        let (store, context, kept) = try job(engine)
        defer { withExtendedLifetime(kept) {} }
        _ = try store.planDedupe(fingerprint: context.fingerprint, rows: 4)
        let helper = try store.dedupeHelper()
        // The helper's server process ends while it merges (its transaction is open, idle): as
        // if the worker had been killed there.
        #expect(throws: (any Error).self) {
            _ = try helper.dedupeNextPartition(
                worker: "cut", fingerprint: context.fingerprint,
                merge: { priorities, rows in
                    _ = try? Auditor.recompute(
                        """
                        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE datname = current_database() AND state = 'idle in transaction'
                        """, in: store.path)
                    return Seed.merge(priorities, rows)
                })
        }
        #expect(try store.dedupeProgress().batchesDone == 0)
        #expect(try store.finishDedupe(context: context) == nil)
        while try store.dedupeNextPartition(worker: "w", fingerprint: context.fingerprint, merge: Seed.merge) {}
        let progress = try store.dedupeProgress()
        #expect(progress.workers.keys.sorted() == ["w"])
        let report = try #require(try store.finishDedupe(context: context))
        #expect(report.contacts == 12 && report.rowsIn == 36)
        try Seed.imported(context)
        #expect(try Self.outputs(store).contacts.count == 12)
    }

    @Test(arguments: engines)
    func aPlanWithTheSameFingerprintResumesAndAnotherStartsOver(_ engine: StoreEngine) throws {
        let (store, context, kept) = try job(engine)
        defer { withExtendedLifetime(kept) {} }
        _ = try store.planDedupe(fingerprint: context.fingerprint, rows: 4)
        #expect(try store.dedupeNextPartition(worker: "w", fingerprint: context.fingerprint, merge: Seed.merge))
        #expect(try store.dedupePlan() == context.fingerprint)
        // A coordinator started again: the partition done stays done.
        #expect(try store.planDedupe(fingerprint: context.fingerprint, rows: 4).batchesDone == 1)
        // A worker of another build or normalize claims nothing of it.
        #expect(try !store.dedupeNextPartition(worker: "x", fingerprint: "other", merge: Seed.merge))
        // Another plan starts over.
        #expect(try store.planDedupe(fingerprint: "other", rows: 4).batchesDone == 0)
        #expect(try store.dedupePlan() == "other")
    }
}
