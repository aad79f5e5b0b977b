/// Cohorts by quota in every stratum: people are lined up by country, then language (strata in
/// the wave key's order), then their own draw, and each takes the cohort furthest behind its
/// share of the line so far. Every run of the line, so every country and every language within
/// it, then holds each cohort's share to within a person or two, not merely on average.
///
/// A person an earlier plan of the wave placed keeps that cohort: newcomers take the places the
/// quotas still lack around them, so a re-plan after new contacts moves nobody. The holdout is
/// lined up apart, so it holds the same mix.
public struct StratifiedCohorts {
    public struct Person: Sendable {
        /// Country then language, from the wave's key (`CohortAssignment.stratum`).
        public var stratum: UInt64
        /// The person's own draw in [0, 1): their place within the stratum.
        public var point: Double
        public var holdout: Bool
        /// The cohort an earlier plan gave them, -1 for none (a byte: a million people plan).
        var keptCohort: Int8

        /// The cohort an earlier plan gave them.
        public var kept: Int? { keptCohort < 0 ? nil : Int(keptCohort) }

        public init(stratum: UInt64, point: Double, holdout: Bool, kept: Int?) {
            self.stratum = stratum
            self.point = point
            self.holdout = holdout
            keptCohort = kept.flatMap { Int8(exactly: $0) } ?? -1
        }
    }

    public var stages: RolloutStages

    public init(stages: RolloutStages) { self.stages = stages }

    /// Each person's cohort (0-based; at most 20 cohorts), in the order given.
    public func cohorts(for people: [Person]) -> [UInt8] {
        let shares = stages.cumulative.indices.map { stages.cumulative[$0] - ($0 == 0 ? 0 : stages.cumulative[$0 - 1]) }
        let line = people.indices.sorted {
            let (a, b) = (people[$0], people[$1])
            return (a.holdout ? 1 : 0, a.stratum, a.point, $0) < (b.holdout ? 1 : 0, b.stratum, b.point, $1)
        }
        var result = [UInt8](repeating: 0, count: people.count)
        for holdout in [false, true] {
            var counts = [Int](repeating: 0, count: shares.count)
            var placed = 0
            for index in line where people[index].holdout == holdout {
                placed += 1
                let cohort: Int
                if let kept = people[index].kept, kept >= 0, kept < shares.count {
                    cohort = kept
                } else {
                    // The cohort furthest behind its share of the line so far.
                    var best = 0
                    var lack = -Double.infinity
                    for (candidate, share) in shares.enumerated() {
                        let behind = Double(placed) * share - Double(counts[candidate])
                        if behind > lack + 1e-12 { (best, lack) = (candidate, behind) }
                    }
                    cohort = best
                }
                counts[cohort] += 1
                result[index] = UInt8(cohort)
            }
        }
        return result
    }
}
