import Foundation

/// Exponential backoff with full jitter: attempt n (from 1) waits a random time
/// in [0, min(maxDelay, baseDelay × 2^(n-1))]. A server's `Retry-After` replaces
/// the computed wait (never shortened, capped at `maxRetryAfter`).
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first one included (default 8).
    public var maxAttempts = 8
    /// Seconds (default 0.2).
    public var baseDelay = 0.2
    /// Seconds (default 20).
    public var maxDelay = 20.0
    /// The longest `Retry-After` obeyed, in seconds (default 120).
    public var maxRetryAfter = 120.0

    public init(maxAttempts: Int = 8, baseDelay: Double = 0.2, maxDelay: Double = 20) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Seconds to wait before attempt `attempt + 1`, after `attempt` failed.
    public func delay(after attempt: Int, retryAfter: Double?, random: Double = Double.random(in: 0...1)) -> Double {
        if let retryAfter { return min(retryAfter, maxRetryAfter) + random * baseDelay }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return random * ceiling
    }
}
