import Foundation
import WamigrateBase
import WamigrateModel

/// `--gate "delivered>=0.9,read>=0.4,optout<=0.01,blocked<=0.005"`: what the previous cohort
/// must show before the next one goes out.
public struct Gate: Codable, Sendable, Equatable {
    public struct Condition: Codable, Sendable, Equatable {
        public var signal: RolloutSignal
        /// true: the share must be at least `threshold`; false: at most.
        public var atLeast: Bool
        public var threshold: Double

        public var described: String { "\(signal.rawValue)\(atLeast ? ">=" : "<=")\(Self.number(threshold))" }

        static func number(_ value: Double) -> String { String(format: "%g", value) }
    }

    public var conditions: [Condition]
    /// The fewest measured messages a gate is judged on; a smaller cohort waits for the next.
    public var minimumSample: Int

    public static let none = Gate(conditions: [], minimumSample: 0)

    public init(conditions: [Condition], minimumSample: Int) {
        self.conditions = conditions
        self.minimumSample = minimumSample
    }

    public init(parsing text: String, minimumSample: Int = 100) throws {
        var conditions: [Condition] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard let range = item.range(of: ">=") ?? item.range(of: "<=") else {
                throw Self.bad(item, "has no >= or <=")
            }
            let name = item[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            guard let signal = RolloutSignal(rawValue: name) else { throw Self.bad(item, "names no signal '\(name)'") }
            guard let share = Share(parsing: String(item[range.upperBound...])) else {
                throw Self.bad(item, "has no share between 0 and 1 (or 0% and 100%)")
            }
            let atLeast = item[range] == ">="
            guard !conditions.contains(where: { $0.signal == signal && $0.atLeast == atLeast }) else {
                throw Self.bad(item, "repeats \(signal.rawValue)")
            }
            conditions.append(Condition(signal: signal, atLeast: atLeast, threshold: share.value))
        }
        self.conditions = conditions
        self.minimumSample = minimumSample
    }

    static func bad(_ item: String, _ why: String) -> WamigrateError {
        WamigrateError(
            .usage, "--gate: '\(item)' \(why)",
            hint: "e.g. --gate \"delivered>=0.9,read>=0.4,optout<=0.01,blocked<=0.005\"; signals: "
                + RolloutSignal.allCases.map(\.rawValue).joined(separator: ", "))
    }

    public var described: String { conditions.map(\.described).joined(separator: ",") }

    /// Judges a cohort's counts: every condition on the point estimate, each shown with its
    /// 95 % interval and sample size.
    public func check(_ counts: SignalCounts) -> GateCheck {
        let figures = conditions.map { condition in
            let proportion = counts.proportion(condition.signal)
            let share = proportion.share
            let holds = condition.atLeast ? share >= condition.threshold : share <= condition.threshold
            return GateCheck.Figure(
                condition: condition, observed: proportion, holds: holds,
                missedBy: holds ? 0 : abs(share - condition.threshold))
        }
        let verdict: GateCheck.Verdict
        if counts.waiting > 0 {
            verdict = .waiting
        } else if counts.measured < minimumSample {
            verdict = .tooFew
        } else {
            verdict = figures.allSatisfy(\.holds) ? .holds : .fails
        }
        return GateCheck(verdict: verdict, sample: counts.measured, waiting: counts.waiting, figures: figures)
    }
}

/// A gate judged on one cohort.
public struct GateCheck: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable {
        case holds, fails
        /// Messages still inside the wait: their statuses may not have arrived.
        case waiting
        /// Fewer measured messages than the gate's minimum sample.
        case tooFew = "too_few"
    }

    public struct Figure: Codable, Sendable, Equatable {
        public var condition: Gate.Condition
        public var observed: Proportion
        public var holds: Bool
        /// How far the share is on the wrong side of the threshold (0 when it holds).
        public var missedBy: Double
    }

    public var verdict: Verdict
    public var sample: Int
    public var waiting: Int
    public var figures: [Figure]

    /// The failing figures in words: "read 0.31 < 0.4 (short by 0.09; 95 % CI 0.28–0.34, n=812)".
    public var failures: [String] { figures.filter { !$0.holds }.map(\.described) }
}

extension GateCheck.Figure {
    public var described: String {
        let condition = self.condition
        let share = Gate.Condition.number((observed.share * 10_000).rounded() / 10_000)
        let sign = holds ? (condition.atLeast ? ">=" : "<=") : (condition.atLeast ? "<" : ">")
        let interval = observed.wilson()
        let miss =
            holds
            ? ""
            : " (\(condition.atLeast ? "short" : "over") by \(Gate.Condition.number((missedBy * 10_000).rounded() / 10_000)))"
        return "\(condition.signal.rawValue) \(share) \(sign) \(Gate.Condition.number(condition.threshold))\(miss); "
            + String(format: "95%% CI %.3f–%.3f, n=%d", interval.lower, interval.upper, observed.trials)
    }
}
