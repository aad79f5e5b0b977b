import Foundation

/// Unique recipients in a rolling 24 h: the messaging limit.
final class RecipientWindow: @unchecked Sendable {
    private let lock = NSLock()
    private var firstSeen: [String: Date] = [:]
    private(set) var refused = 0

    func admit(_ digits: String, cap: Int?, now: Date = Date()) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        firstSeen = firstSeen.filter { now.timeIntervalSince($0.value) < 86_400 }
        if firstSeen[digits] != nil { return true }
        if let cap, firstSeen.count >= cap {
            refused += 1
            return false
        }
        firstSeen[digits] = now
        return true
    }

    var refusedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return refused
    }
}
