import Foundation
import Logging
import WamigrateBase
import WamigrateModel

/// The one send loop, for campaigns and waves: settle what a crashed run left open, then for
/// each due message the ledger's gates, pacing, the claim (consent checked, `sending` written
/// before the request) and the answer recorded: accepted, refused, retried after a wait (claimed
/// again first), stopped, or lost (looked up or held in doubt, never sent twice).
struct SendLoop<Ledger: SendLedger> {
    var ledger: Ledger
    var retry: GatewayRetryPolicy
    var limit: Int?
    var logger: Logger
    var now: @Sendable () -> Int64

    func run() throws {
        try ledger.settleOpen()
        try ledger.begin()
        var total = 0
        var retries = 0
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
                    guard let claimed = try ledger.claim(item, retry: false) else { continue }
                    try deliver(claimed, via: channel, retries: &retries)
                    total += 1
                }
            }
        }
        try ledger.end(retries: retries)
    }

    /// One request with retries, then the outcome recorded.
    private func deliver(_ first: Ledger.Item, via channel: any SendChannel<Ledger.Item>, retries: inout Int) throws {
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
                    try ledger.markPlanned(item, reason: .retriesExhausted)
                    throw WamigrateError(
                        .remote, "\(channel.gateway) kept refusing for now (\(why)) after \(attempt) attempts",
                        hint: ledger.retryHint)
                }
                logger.warning("\(channel.gateway): \(why); retrying in \(String(format: "%.2f", wait)) s")
                retries += 1
                channel.pacer.holdOff(seconds: wait)
                channel.pacer.acquire(cost: 1)
                attempt += 1
                do {
                    // An opt-out (or a template stop) may have come in while this message waited.
                    guard let claimed = try ledger.claim(item, retry: true) else { return }
                    item = claimed
                } catch {
                    try ledger.markPlanned(item, reason: nil)
                    throw error
                }
            case let .stop(code, why):
                try ledger.markPlanned(item, reason: nil)
                throw channel.stopped(code: code, why: why)
            case .unknown(let why):
                logger.warning("\(channel.gateway): answer lost (\(why)); settling it")
                return try ledger.answerLost(item)
            }
        }
    }
}
