import Foundation

/// The message templates the sandbox holds, per WABA, and the creation times
/// that the hourly limit counts. Handlers run concurrently, so it locks.
final class TemplateBook: @unchecked Sendable {
    struct Entry: Sendable {
        var id = ""
        var waba: String
        var name: String
        var language: String
        var category: String
        var status: String
        var reason: String?
        /// `POSITIONAL` or `NAMED`, the way GET answers it.
        var parameterFormat = "POSITIONAL"
        /// The components as created (a JSON array), which GET answers.
        var components = Data("[]".utf8)
        /// The parameters a send must fill (132000 otherwise): the body's, a text header's
        /// (nil: not counted, as for a media header).
        var bodyParameters: Int? = 0
        var headerParameters: Int? = 0
        var messageSendTTL: Int?
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

    /// A template by its id (`GET /{template_id}`).
    func find(id: String) -> Entry? {
        locked { entries.values.lazy.flatMap { $0 }.first { $0.id == id } }
    }

    /// The WABA templates were first created under: webhooks for messages that name no template use it.
    var firstWABA: String? { locked { entries.values.lazy.flatMap { $0 }.min { $0.id < $1.id }?.waba } }

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

    /// Stores the template under a new id, which the returned entry carries.
    func add(_ draft: Entry) -> Entry {
        locked {
            nextID += 1
            var entry = draft
            entry.id = String(nextID)
            entries[entry.waba, default: []].append(entry)
            return entry
        }
    }
}
