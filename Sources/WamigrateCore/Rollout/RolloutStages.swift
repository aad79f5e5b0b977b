import Foundation
import WamigrateBase

/// `--rollout 1%,10%,50%,100%`: the share of the wave's audience each cohort brings the
/// total to. Cohort 1 is the first 1 %, cohort 2 the next 9 %, … the last ends at 100 %.
public struct RolloutStages: Codable, Sendable, Equatable {
    /// Cumulative shares in (0, 1], strictly increasing, the last one 1.
    public private(set) var cumulative: [Double]

    /// Everyone in one cohort: a wave without `--rollout`.
    public static let all = RolloutStages(checked: [1])

    init(checked: [Double]) { cumulative = checked }

    public init(parsing text: String) throws {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var shares: [Double] = []
        for part in parts {
            guard let share = Share(parsing: part), share.value > 0 else {
                throw WamigrateError(
                    .usage, "--rollout: '\(part)' is not a share of the audience",
                    hint: "give rising percentages ending at 100%, e.g. --rollout 1%,10%,50%,100%")
            }
            if let last = shares.last, share.value <= last {
                throw WamigrateError(
                    .usage, "--rollout: \(part) does not grow past the cohort before it",
                    hint: "each share is the running total: 1%,10%,50%,100% (not 1%,9%,40%,50%)")
            }
            shares.append(share.value)
        }
        guard shares.last == 1 else {
            throw WamigrateError(
                .usage, "--rollout must end at 100% (it ends at \(parts.last ?? ""))",
                hint: "the last cohort takes everyone left: --rollout 1%,10%,50%,100%")
        }
        guard shares.count <= 20 else {
            throw WamigrateError(.usage, "--rollout has \(shares.count) cohorts", hint: "use at most 20")
        }
        cumulative = shares
    }

    public var count: Int { cumulative.count }

    /// How the stages were given, e.g. "1%,10%,50%,100%".
    public var described: String { cumulative.map { Share.percent($0) }.joined(separator: ",") }
}

/// A share written as "5%" or "0.05".
struct Share {
    var value: Double

    init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let percent = Double(trimmed.dropLast()), percent.isFinite else { return nil }
            value = percent / 100
        } else {
            guard let fraction = Double(trimmed), fraction.isFinite else { return nil }
            value = fraction
        }
        guard value >= 0, value <= 1 else { return nil }
    }

    static func percent(_ value: Double) -> String {
        let percent = value * 100
        return percent == percent.rounded() ? "\(Int(percent))%" : String(format: "%g%%", percent)
    }
}
