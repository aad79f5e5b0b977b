import Foundation
import WamigrateModel

/// Variants compared on one signal. A winner is named only when the best variant's
/// difference from every other excludes zero at the family's level: 95 % split (Bonferroni)
/// over the comparisons and over the looks a rollout takes (one per cohort), so checking
/// after every cohort does not raise the chance of a false winner above 5 %.
public struct VariantComparison: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var variant: String
        public var observed: Proportion
        /// 95 % Wilson interval of the variant's own share.
        public var interval: Interval
        /// Difference from the best variant at the family's level (nil on the best's row).
        public var differenceFromBest: Interval?
    }

    public var signal: RolloutSignal
    public var rows: [Row]
    public var best: String?
    /// Set only when the data support it.
    public var winner: String?
    /// The confidence of each difference interval, e.g. 0.9875 for two variants over four looks.
    public var level: Double
    /// Pearson's chi-squared on the k × 2 table, when it can be computed.
    public var chiSquared: ChiSquared?
    /// Without a winner: about how many more measured messages per variant would make the
    /// observed difference between the best two clear at this level (80 % power); nil when
    /// they show no difference at all.
    public var morePerVariant: Int?
    /// The fewest measured messages a variant needs before a winner can be named: below it
    /// the intervals' large-sample approximations do not hold (one read of one message is
    /// not a rate).
    public static let minimumPerVariant = 30

    public init(signal: RolloutSignal, variants: [(name: String, counts: SignalCounts)], looks: Int) {
        self.signal = signal
        let comparisons = max(1, variants.count - 1)
        let alpha = 0.05 / Double(comparisons * max(1, looks))
        level = 1 - alpha
        let z = Normal.quantile(1 - alpha / 2)
        let observed = variants.map { (name: $0.name, proportion: $0.counts.proportion(signal)) }
        chiSquared = ChiSquared(observed.map(\.proportion))
        // Best by share, better meaning higher or lower as the signal goes; ties to the first.
        let ranked = observed.filter { $0.proportion.trials > 0 }.sorted {
            signal.higherIsBetter ? $0.proportion.share > $1.proportion.share : $0.proportion.share < $1.proportion.share
        }
        best = ranked.first?.name
        var supported =
            ranked.count == observed.count && ranked.count >= 2
            && observed.allSatisfy { $0.proportion.trials >= Self.minimumPerVariant }
        rows = observed.map { variant in
            var row = Row(
                variant: variant.name, observed: variant.proportion, interval: variant.proportion.wilson(),
                differenceFromBest: nil)
            if let top = ranked.first, top.name != variant.name {
                let difference = top.proportion.difference(from: variant.proportion, z: z)
                row.differenceFromBest = difference
                if signal.higherIsBetter ? difference.lower <= 0 : difference.upper >= 0 { supported = false }
            }
            return row
        }
        winner = supported ? best : nil
        morePerVariant = nil
        if winner == nil, ranked.count >= 2 {
            let (a, b) = (ranked[0].proportion, ranked[1].proportion)
            let gap = abs(a.share - b.share)
            if gap > 0 {
                let variance = a.share * (1 - a.share) + b.share * (1 - b.share)
                let needed = ((z + Normal.z80) * (z + Normal.z80) * variance / (gap * gap)).rounded(.up)
                let fewest = observed.map(\.proportion.trials).min() ?? 0
                morePerVariant = max(0, Int(needed) - min(a.trials, b.trials), Self.minimumPerVariant - fewest)
            }
        }
    }
}
