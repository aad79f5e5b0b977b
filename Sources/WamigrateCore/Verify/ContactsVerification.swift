import Foundation
import GRDB
import Logging

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

    func run(store: JobStore, runID: Int64, report: inout VerifyReport) throws {
        let batches = VerifyBatches(store: store)
        let size = min(settings.batchSize, checker.maxBatchSize, 1000)
        let nowSeconds = Int64(now().timeIntervalSince1970)
        let freshAfter = nowSeconds - Int64(settings.maxAgeDays * 86_400)
        try store.write { db in
            let candidates = try SQLRequest<String>(
                "SELECT e164 FROM contacts WHERE e164 IS NOT NULL AND consent != \(ConsentState.optedOut) ORDER BY e164"
            ).fetchAll(db)
            report.candidates = candidates.count
            let fresh =
                settings.forceCheck
                ? Set<String>()
                : Set(
                    try String.fetchAll(
                        db, sql: "SELECT e164 FROM registrations WHERE final = 1 AND checked_at > ?",
                        arguments: [freshAfter]))
            let open = try batches.openNumbers(db)
            let toPlan = candidates.filter { !fresh.contains($0) && !open.contains($0) }
            report.cached = candidates.count - toPlan.count - open.intersection(candidates).count
            let budget = try CheckBudget.load(db, limit: settings.budget ?? candidates.count)
            try budget.allow(newChecks: toPlan.count, overBudgetAllowed: settings.allowOverBudget)
            report.budget = budget.limit
            report.planned = toPlan.count + open.count
            if dryRun { return }
            _ = try batches.plan(toPlan, size: size, forceCheck: settings.forceCheck, runID: runID, in: db)
        }
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
        let total = work.count
        progress.update("verify", done: 0, total: total, unit: "batches")
        let workers = BatchWorkers(work)
        let now = self.now
        workers.run(
            concurrency: settings.concurrency, progress: { progress.update("verify", done: $0, total: total, unit: "batches") }
        ) { batch in
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
        }
        progress.finish("verify")
        report.checked = tally.checked
        report.requests = tally.requests
        if let error = workers.firstError { throw error }
        try judgeEndpoint(store: store, runID: runID, report: &report)
        report.checksUsed = try store.read { try CheckBudget.load($0, limit: 0).used }
    }

    /// Downgrades this run's answers to unknown when the endpoint is not discriminating.
    private func judgeEndpoint(store: JobStore, runID: Int64, report: inout VerifyReport) throws {
        var check = DiscriminationCheck()
        try store.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.answer, c.number_type FROM registrations r
                    JOIN verify_batches b ON b.id = r.batch_id AND b.done_run = ?
                    LEFT JOIN contacts c ON c.e164 = r.e164 WHERE r.verifier = 'contacts-api'
                    """, arguments: [runID])
            while let row = try rows.next() { check.add(answer: row[0], numberType: row[1]) }
        }
        guard check.fires else { return }
        report.warnings.append(check.warning)
        logger.warning("WARNING: \(check.warning)")
        guard !settings.trustEndpoint else { return }
        try store.write { db in
            try db.execute(
                sql: """
                    UPDATE registrations SET status = ?, reason = 'endpoint answers valid for everything'
                    WHERE verifier = 'contacts-api' AND answer = 'valid'
                      AND batch_id IN (SELECT id FROM verify_batches WHERE done_run = ?)
                    """, arguments: [RegistrationStatus.unknown, runID])
        }
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
