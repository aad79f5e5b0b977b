import Foundation

/// The sandbox's mutable state: the account, live tokens and counters.
/// Handlers run concurrently, so every access holds the lock.
final class SandboxState: @unchecked Sendable {
    private let lock = NSLock()
    private var password: String
    private var mustChangePassword: Bool
    private var tokens: [String: Date] = [:]
    private var requestSequence: UInt64 = 0
    private var faultSequence: UInt64 = 0
    private var stats = SandboxStats()
    /// How many times each number got a well-formed answer.
    private var answers: [String: Int] = [:]
    private var arrivals: [(time: Double, contacts: Int)] = []
    private let started = Date()

    init(configuration: SandboxConfiguration) {
        password = configuration.adminPassword ?? "secret"
        mustChangePassword = configuration.adminPassword == nil
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    enum LoginOutcome {
        case token(String, expires: Date)
        case denied
        case passwordChangeRequired
    }

    func login(user: String, password given: String, newPassword: String?, lifetime: Double) -> LoginOutcome {
        locked {
            stats.logins += 1
            guard user == "admin", given == password else { return .denied }
            if let newPassword {
                password = newPassword
                mustChangePassword = false
            } else if mustChangePassword {
                return .passwordChangeRequired
            }
            let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let expires = Date().addingTimeInterval(lifetime)
            tokens[token] = expires
            return .token(token, expires: expires)
        }
    }

    func isValid(token: String) -> Bool {
        locked { tokens[token].map { $0 > Date() } ?? false }
    }

    func revoke(token: String) {
        locked {
            tokens[token] = nil
            stats.expiredTokens += 1
        }
    }

    func nextRequest() -> UInt64 {
        locked {
            requestSequence += 1
            stats.contactRequests += 1
            return requestSequence
        }
    }

    /// The sequence number a messaging or template request draws its fault with.
    func nextFaultDraw() -> UInt64 {
        locked {
            faultSequence += 1
            return faultSequence
        }
    }

    func count(fault: FaultPlan.Kind) {
        locked { stats.faults[fault.rawValue, default: 0] += 1 }
    }

    func countRejected(status: Int) {
        locked { stats.rejected[String(status), default: 0] += 1 }
    }

    /// Records a well-formed answer for these numbers.
    func answered(_ numbers: [String]) {
        let now = Date().timeIntervalSince(started)
        locked {
            arrivals.append((now, numbers.count))
            for number in numbers { answers[number, default: 0] += 1 }
            stats.contactsAnswered += numbers.count
        }
    }

    func snapshot() -> SandboxStats {
        locked {
            var copy = stats
            copy.distinctNumbers = answers.count
            copy.numbersAnsweredTwice = answers.values.filter { $0 > 1 }.count
            copy.maxContactsInOneSecond = Self.maxInWindow(arrivals, width: 1)
            if let first = arrivals.first, let last = arrivals.last {
                copy.firstAnswerSeconds = first.time
                copy.lastAnswerSeconds = last.time
            }
            return copy
        }
    }

    /// The most contacts answered in any window [t, t + width).
    static func maxInWindow(_ arrivals: [(time: Double, contacts: Int)], width: Double) -> Int {
        let sorted = arrivals.sorted { $0.time < $1.time }
        var best = 0
        var sum = 0
        var tail = 0
        for head in sorted.indices {
            sum += sorted[head].contacts
            while sorted[head].time - sorted[tail].time >= width {
                sum -= sorted[tail].contacts
                tail += 1
            }
            best = max(best, sum)
        }
        return best
    }
}

/// What `GET /_sandbox/stats` returns: for tests and the benchmark, outside the contract.
public struct SandboxStats: Codable, Sendable {
    public var logins = 0
    public var contactRequests = 0
    public var contactsAnswered = 0
    public var distinctNumbers = 0
    public var numbersAnsweredTwice = 0
    public var expiredTokens = 0
    public var faults: [String: Int] = [:]
    public var rejected: [String: Int] = [:]
    public var maxContactsInOneSecond = 0
    public var firstAnswerSeconds = 0.0
    public var lastAnswerSeconds = 0.0
}

/// What `GET /_sandbox/whatsapp` returns: template messages taken and the webhooks posted about them.
public struct WhatsAppStats: Codable, Sendable {
    public var messages = 0
    public var recipients = 0
    /// The most template messages one number got (1 when nothing was sent twice).
    public var mostToOneRecipient = 0
    public var refusedOverLimit = 0
    public var webhooks = EmitterStats()
    public var firstAt = 0.0
    public var lastAt = 0.0
    /// The most messages taken in any one-second window.
    public var maxInOneSecond = 0
}
