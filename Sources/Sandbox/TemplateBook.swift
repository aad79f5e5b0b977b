import Foundation

/// The message templates the sandbox holds, per WABA, and the creation times
/// that the hourly limit counts. Handlers run concurrently, so it locks.
final class TemplateBook: @unchecked Sendable {
    struct Entry: Sendable {
        var id: String
        var name: String
        var language: String
        var category: String
        var status: String
        var reason: String?
    }

    private let lock = NSLock()
    private var entries: [String: [Entry]] = [:]
    private var creations: [String: [Date]] = [:]
    private var nextID = 1_000_000_000_000

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    func list(waba: String) -> [Entry] { locked { entries[waba] ?? [] } }

    /// A template by name and language, in any WABA (the messages route has a phone number id, not a WABA).
    func find(name: String, language: String) -> Entry? {
        locked { entries.values.lazy.flatMap { $0 }.first { $0.name == name && $0.language == language } }
    }

    func exists(waba: String, name: String, language: String) -> Bool {
        locked { (entries[waba] ?? []).contains { $0.name == name && $0.language == language } }
    }

    /// Counts a creation unless the WABA made `limit` in the last hour.
    func admit(waba: String, limit: Int, now: Date = Date()) -> Bool {
        locked {
            var times = (creations[waba] ?? []).filter { now.timeIntervalSince($0) < 3600 }
            guard times.count < limit else { return false }
            times.append(now)
            creations[waba] = times
            return true
        }
    }

    func add(waba: String, name: String, language: String, category: String, status: String, reason: String?) -> Entry {
        locked {
            nextID += 1
            let entry = Entry(
                id: String(nextID), name: name, language: language, category: category, status: status, reason: reason)
            entries[waba, default: []].append(entry)
            return entry
        }
    }
}
