import Foundation

/// How the messaging limit grows while a wave goes out, and the calendar that gives for the
/// whole audience (contracts §4.1, §8.2, §9.3): 250 → 2,000 once 2,000 template messages were
/// delivered to unique people within 30 days (the scaling path without verification);
/// above that, the next tier about 6 h after the business used at least half of its limit in
/// the last 7 days with quality holding; unlimited after 100,000. The platform's own word
/// (`business_capability_update`) replaces the forecast's start as soon as it arrives.
public struct TierForecast: Codable, Sendable, Equatable {
    public struct Step: Codable, Sendable, Equatable {
        /// 0-based day of the wave.
        public var firstDay: Int
        public var lastDay: Int
        /// nil: unlimited.
        public var limit: Int?
        public var sent: Int
    }

    public static let tiers = [250, 2_000, 10_000, 100_000]

    public var audience: Int
    public var startLimit: Int?
    /// Days until everyone got their message at the limits forecast (0 for nobody).
    public var days: Int
    /// Runs of days at one limit.
    public var steps: [Step]

    /// - Parameters:
    ///   - deliveredShare: the share of sent messages that arrive (the scaling path counts delivered ones).
    public init(audience: Int, startLimit: Int?, deliveredShare: Double = 1) {
        self.audience = audience
        self.startLimit = startLimit
        var steps: [Step] = []
        var remaining = audience
        var limit = startLimit
        var history: [Int] = []
        var day = 0
        while remaining > 0 {
            let sent = min(remaining, limit ?? remaining)
            remaining -= sent
            history.append(sent)
            if let last = steps.last, last.limit == limit {
                steps[steps.count - 1].lastDay = day
                steps[steps.count - 1].sent += sent
            } else {
                steps.append(Step(firstDay: day, lastDay: day, limit: limit, sent: sent))
            }
            if let current = limit {
                let window = current == 250 ? 30 : 7
                let recent = history.suffix(window).reduce(0, +)
                let qualifies =
                    current == 250 ? Double(recent) * deliveredShare >= 2_000 : recent * 2 >= current
                if qualifies { limit = Self.next(after: current) }
            }
            day += 1
        }
        days = day
        self.steps = steps
    }

    static func next(after limit: Int) -> Int? {
        guard let index = tiers.firstIndex(of: limit), index + 1 < tiers.count else { return nil }
        return tiers[index + 1]
    }

    /// "days 1–8 at 250 (2,000 sent), day 9 at 2,000 …".
    public var described: String {
        steps.map { step in
            let days =
                step.firstDay == step.lastDay ? "day \(step.firstDay + 1)" : "days \(step.firstDay + 1)–\(step.lastDay + 1)"
            return "\(days) at \(step.limit.map(String.init) ?? "unlimited") (\(step.sent) sent)"
        }.joined(separator: ", ")
    }
}
