/// Counts where a plan put people, and how far each cohort's mix of countries and
/// languages strays from the whole audience's.
struct RolloutPlacement {
    var cohorts: [Int]
    var variants: [String: Int] = [:]
    var holdout = 0
    /// Per cohort, people per stratum ("region:DE", "language:de").
    var strata: [[String: Int]]
    var base: [String: Int] = [:]

    init(cohorts: Int) {
        self.cohorts = Array(repeating: 0, count: cohorts)
        strata = Array(repeating: [:], count: cohorts)
    }

    mutating func add(_ place: Assignment, region: String?, language: String?) {
        let keys = ["region:" + (region ?? "-"), "language:" + (language ?? "-")]
        if place.holdout {
            holdout += 1
            return
        }
        cohorts[place.cohort] += 1
        variants[place.variant, default: 0] += 1
        for key in keys {
            strata[place.cohort][key, default: 0] += 1
            base[key, default: 0] += 1
        }
    }

    var summary: RolloutPlanSummary {
        var plan = RolloutPlanSummary()
        plan.cohorts = cohorts
        plan.variants = variants
        plan.holdout = holdout
        let total = Double(cohorts.reduce(0, +))
        plan.mixGap = cohorts.indices.map { cohort in
            let size = Double(cohorts[cohort])
            guard size > 0, total > 0 else { return 0 }
            return base.map { key, count in
                abs(Double(strata[cohort][key] ?? 0) / size - Double(count) / total)
            }.max() ?? 0
        }
        return plan
    }
}
