import Foundation

/// At most `count` requests in any window of `seconds`, as the server sees them: a
/// request may start only once the answer to the request `count` places before it
/// has come back and `seconds` have passed since. Arrivals fall between a request's
/// start and its answer, so no window of that length at the server ever holds more
/// than `count`, whatever the network's jitter. (`RatePacer` spaces starts evenly but
/// counts on the client's clock; use both.) For one sender thread.
public final class WindowLimiter {
    private let count: Int
    private let nanoseconds: UInt64
    private var answers: [UInt64] = []
    private var next = 0

    /// `perSecond` requests per second, counted in windows of `max(1, ⌊perSecond⌋)` requests.
    public init(perSecond: Double) {
        count = max(1, Int(perSecond.rounded(.down)))
        nanoseconds = UInt64(Double(count) / perSecond * 1e9)
    }

    /// Blocks until a request may start.
    public func acquire() {
        guard answers.count == count else { return }
        let ready = answers[next] + nanoseconds
        let now = DispatchTime.now().uptimeNanoseconds
        if ready > now { Thread.sleep(forTimeInterval: Double(ready - now) / 1e9) }
    }

    /// The request that last acquired has its answer (or failed).
    public func answered() {
        let now = DispatchTime.now().uptimeNanoseconds
        if answers.count < count {
            answers.append(now)
        } else {
            answers[next] = now
            next = (next + 1) % count
        }
    }
}
