import Foundation
import Logging
import WamigrateBase
import WamigrateModel

/// verify with a remote checker: picks the numbers without a fresh answer,
/// holds the plan to the check budget, writes the batches, then sends them on
/// a bounded number of threads. Interrupted batches from earlier runs go first.
struct ContactsVerification {
    var settings: VerifySettings
    var checker: any RegistrationChecker
    var progress: any ProgressSink
    var logger: Logger
    var dryRun: Bool
    var now: @Sendable () -> Date

    func run(store: any VerifyBatchStore, runID: Int64, report: inout VerifyReport) throws {
        let batches = store.verifyBatches()
        let size = min(settings.batchSize, checker.maxBatchSize, 1000)
        let nowSeconds = Int64(now().timeIntervalSince1970)
        let freshAfter = nowSeconds - Int64(settings.maxAgeDays * 86_400)
        let plan = try batches.plan(
            runID: runID, freshAfter: freshAfter, forceCheck: settings.forceCheck, limit: settings.budget,
            allowOverBudget: settings.allowOverBudget, size: size, dryRun: dryRun)
        report.candidates = plan.candidates
        report.cached = plan.cached
        report.budget = plan.budget
        report.planned = plan.planned
        if dryRun {
            logger.info("verify: dry run: \(report.planned) numbers would be checked; nothing sent")
            return
        }
        let work = try batches.open(runID: runID)
        report.batches = work.count
        report.batchesResumed = work.filter(\.resumed).count
        if report.batchesResumed > 0 {
            logger.info("verify: resuming \(report.batchesResumed) batches left open by an earlier run")
        }
        logger.info("verify: \(report.cached) fresh answers reused, \(work.count) batches to send")
        let tally = Tally()
        let checker = self.checker
        let progress = self.progress
        // Progress in checks (numbers), the unit --rate-limit and the budget count in.
        let total = work.reduce(0) { $0 + $1.numbers.count }
        let checksDone = CheckCounter()
        progress.update("verify", done: 0, total: total, unit: "checks")
        let workers = BatchWorkers(work)
        let now = self.now
        workers.run(concurrency: settings.concurrency, progress: { _ in }) { batch in
            try batches.markSent(batch.id)
            let answer: BatchAnswer
            do {
                answer = try checker.check(batch.numbers, forceCheck: batch.forceCheck)
            } catch {
                try? batches.fail(batch.id, error: "\(error)")
                throw error
            }
            try batches.complete(
                batch.id, answer: answer, verifier: "contacts-api", at: Int64(now().timeIntervalSince1970), runID: runID)
            tally.add(answer)
            progress.update("verify", done: checksDone.add(batch.numbers.count), total: total, unit: "checks")
        }
        progress.finish("verify")
        report.checked = tally.checked
        report.requests = tally.requests
        if let error = workers.firstError { throw error }
        try judgeEndpoint(batches, runID: runID, report: &report)
        report.checksUsed = try batches.checksUsed()
    }

    /// Downgrades this run's answers to unknown when the endpoint is not discriminating.
    private func judgeEndpoint(_ batches: any VerifyBatches, runID: Int64, report: inout VerifyReport) throws {
        var check = DiscriminationCheck()
        try batches.answersOfRun(runID) { check.add(answer: $0, numberType: $1) }
        guard check.fires else { return }
        report.warnings.append(check.warning)
        logger.warning("WARNING: \(check.warning)")
        guard !settings.trustEndpoint else { return }
        try batches.distrustValidAnswers(ofRun: runID)
    }
}

/// Counts across worker threads.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var checked = 0
    private(set) var requests = 0

    func add(_ answer: BatchAnswer) {
        lock.lock()
        checked += answer.answers.count
        requests += answer.attempts
        lock.unlock()
    }
}

/// Checks answered so far, shared by the batch workers.
final class CheckCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0

    func add(_ count: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        done += count
        return done
    }
}
