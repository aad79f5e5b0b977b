import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateModel

/// Moves spooled bodies into the job store, on its own thread, holding the store's
/// writer lock only for one pass (other commands wait those moments out).
final class Processor: @unchecked Sendable {
    private let configuration: WebhookReceiver.Configuration
    private let logger: Logger
    private let condition = NSCondition()
    private var pending = false
    private var stopping = false
    private var done = false
    private var total = WebhookSummary()
    private var errors = 0

    init(configuration: WebhookReceiver.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "webhook-processor"
        thread.start()
    }

    func wake() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Stops the loop after a last pass; returns everything processed.
    func finish() -> (WebhookSummary, Int) {
        condition.lock()
        stopping = true
        pending = true
        condition.signal()
        while !done { condition.wait() }
        let summary = (total, errors)
        condition.unlock()
        return summary
    }

    private func loop() {
        while true {
            condition.lock()
            if !pending && !stopping { _ = condition.wait(until: Date().addingTimeInterval(configuration.processEvery)) }
            let last = stopping
            let work = pending || last
            pending = false
            condition.unlock()
            if work { pass(all: last) }
            if last {
                condition.lock()
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
            // Between passes, leave the store to other commands for a while.
            Thread.sleep(forTimeInterval: configuration.processEvery)
        }
    }

    private func pass(all: Bool) {
        do {
            let store = try configuration.openStore(configuration.store, StoreLockWords.briefHolder)
            let ingest = WebhookIngest(keywords: configuration.keywords, now: Int64(Date().timeIntervalSince1970))
            let summary = try ingest.process(store: store, limit: all ? .max : 10_000)
            condition.lock()
            total.add(summary)
            if summary.processed >= 10_000 { pending = true }  // more left: another pass soon
            condition.unlock()
        } catch let error as WamigrateError where error.code == .storeBusy {
            // Another command writes the job store; it drains the spool itself.
        } catch {
            condition.lock()
            errors += 1
            condition.unlock()
            logger.error("webhook serve: processing failed (\(error)); the bodies stay in the spool for the next pass")
        }
    }
}
