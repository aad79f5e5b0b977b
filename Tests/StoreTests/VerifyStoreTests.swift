import Foundation
import Testing
import WamigrateModel

/// Verify's batches through `VerifyStore`: written before they are sent, answered once.
@Suite("Store: verify batches")
struct VerifyStoreTests {
    @Test(arguments: StoreEngine.complete)
    func aBatchLeftOpenByAKilledRunIsResumedAndAnsweredOnce(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        let numbers = (1...5).map { "+49151000000\($0)" }
        try Seed.pipeline(store, numbers.map { SeedRow(phone: $0, e164: $0) })
        let batches = store.verifyBatches()
        let plan = try batches.plan(
            runID: 1, freshAfter: 0, forceCheck: false, limit: nil, allowOverBudget: false, size: 2, dryRun: false)
        #expect(plan.candidates == 5 && plan.planned == 5)
        let open = try batches.open(runID: 1)
        #expect(open.map(\.numbers.count) == [2, 2, 1])
        try batches.markSent(open[0].id)
        // The run dies here; the next one finds the sent batch again, marked resumed.
        let again = try batches.open(runID: 2)
        #expect(again.count == 3 && again[0].resumed)
        try batches.complete(
            again[0].id,
            answer: BatchAnswer(
                answers: again[0].numbers.map { CheckAnswer(input: $0, answer: "valid", waID: String($0.dropFirst())) },
                httpStatus: 200, attempts: 1), verifier: "contacts-api", at: 100, runID: 2)
        #expect(try batches.open(runID: 2).map(\.id) == [again[1].id, again[2].id])
        // Planning again adds no batch: two numbers are answered, three wait in open batches.
        let replan = try batches.plan(
            runID: 3, freshAfter: 0, forceCheck: false, limit: nil, allowOverBudget: false, size: 2, dryRun: false)
        #expect(replan.cached == 2 && replan.planned == 3)
        #expect(try batches.open(runID: 3).count == 2)
    }
}
