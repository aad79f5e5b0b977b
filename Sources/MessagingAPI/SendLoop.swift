import Foundation
import Logging
import WamigrateBase

/// The one send loop, for campaigns and waves alike. It settles what a crashed run left open,
/// then takes each due message through the ledger's gates, paces it, checks it may still go,
/// marks it `sending` before the request and records the answer: accepted, refused (with the
/// opt-out the channel says it stands for), retried after a wait (checked again first), stopped,
/// or lost, which the ledger looks up or holds in doubt, so nothing is sent twice.
struct SendLoop<Ledger: SendLedger> {
    var ledger: Ledger
    var retry: GatewayRetryPolicy
    /// Stop after this many messages (a small first wave).
    var limit: Int?
    var logger: Logger
    var now: @Sendable () -> Int64

    func run() throws {
        try ledger.settleOpen()
        try ledger.begin()
        var total = 0
        batches: while true {
            let batch = try ledger.nextBatch()
            if batch.isEmpty { break }
            for item in batch {
                if let limit, total >= limit { break batches }
                switch try ledger.admit(item, sentSoFar: total) {
                case .wait: continue
                case .stop: break batches
                case .send(let channel):
                    channel.pacer.acquire(cost: 1)
                    guard let ready = try ledger.ready(item), try ledger.markSending(ready) else { continue }
                    try deliver(ready, via: channel)
                    total += 1
                }
            }
        }
        try ledger.end()
    }

    /// One request with retries, then the outcome recorded.
    private func deliver(_ first: Ledger.Item, via channel: any SendChannel<Ledger.Item>) throws {
        var item = first
        var attempt = 1
        while true {
            switch channel.send(item) {
            case .accepted(let id):
                return try ledger.markSent(item, providerID: id)
            case let .refused(code, reason):
                let optOut = channel.optOut(refused: item, code: code, at: now())
                return try ledger.markRefused(item, code: code, reason: reason, optOut: optOut)
            case let .retry(after, why):
                guard let wait = retry.wait(after: attempt, retryAfter: after) else {
                    try ledger.markPlanned(item, reason: "retries_exhausted")
                    throw WamigrateError(
                        .remote, "\(channel.gateway) kept refusing for now (\(why)) after \(attempt) attempts",
                        hint: ledger.retryHint)
                }
                logger.warning("\(ledger.label): \(channel.gateway): \(why); retrying in \(String(format: "%.2f", wait)) s")
                ledger.retrying(item)
                channel.pacer.holdOff(seconds: wait)
                channel.pacer.acquire(cost: 1)
                attempt += 1
                do {
                    // An opt-out (or a template stop) may have come in while this message waited.
                    guard let ready = try ledger.ready(item) else { return }
                    item = ready
                } catch {
                    try ledger.markPlanned(item, reason: nil)
                    throw error
                }
                try ledger.markRetry(item)
            case let .stop(code, why):
                try ledger.markPlanned(item, reason: nil)
                throw channel.stopped(code: code, why: why)
            case .unknown(let why):
                logger.warning("\(ledger.label): \(channel.gateway): answer lost (\(why)); settling it as sent or in doubt")
                return try ledger.answerLost(item)
            }
        }
    }
}
