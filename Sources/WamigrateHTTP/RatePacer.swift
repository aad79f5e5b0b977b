import Foundation

/// A rate limit with no burst: each caller gets a start time at least
/// cost ÷ rate after the previous one's, so the units started in any span of
/// time never exceed rate × span plus one request. Shared by threads.
public final class RatePacer: @unchecked Sendable {
    /// Units (checks) per second; nil means unlimited.
    public let perSecond: Double?
    private let lock = NSLock()
    private var nextStart: UInt64 = 0

    public init(perSecond: Double?) {
        self.perSecond = perSecond.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Blocks until the caller may start a request costing `cost` units.
    public func acquire(cost: Int) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        let start = max(now, nextStart)
        if let perSecond { nextStart = start + UInt64(Double(cost) / perSecond * 1e9) }
        lock.unlock()
        if start > now { Thread.sleep(forTimeInterval: Double(start - now) / 1e9) }
    }

    /// Holds every caller back for `seconds` (a server said `Retry-After`).
    public func holdOff(seconds: Double) {
        let until = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, seconds) * 1e9)
        lock.lock()
        nextStart = max(nextStart, until)
        lock.unlock()
    }
}
