import Foundation
import Testing
import WamigrateBase
import WamigrateModel

@testable import WamigrateCore

@Suite("Rollout: cohorts, variants, gates, tier forecast")
struct RolloutPlanTests {
    static let key = Data((0..<32).map { UInt8($0) })

    static func assignment(
        _ stages: String = "1%,10%,50%,100%", variants: String? = "A=welcome_a,B=welcome_b",
        split: String? = nil, holdout: String? = "5%"
    ) throws -> CohortAssignment {
        CohortAssignment(
            key: key, stages: try RolloutStages(parsing: stages),
            split: try VariantSplit(variants: variants, template: "welcome", split: split, holdout: holdout))
    }

    @Test func stagesAreRunningTotalsEndingAtEveryone() throws {
        #expect(try RolloutStages(parsing: "1%,10%,50%,100%").cumulative == [0.01, 0.1, 0.5, 1])
        #expect(try RolloutStages(parsing: "0.25, 1").described == "25%,100%")
        for bad in ["10%,5%,100%", "1%,10%,50%", "0%,100%", "1%,,100%", "abc", "150%"] {
            #expect(throws: WamigrateError.self, "\(bad)") { try RolloutStages(parsing: bad) }
        }
    }

    @Test func variantsSplitsAndHoldoutAreChecked() throws {
        let split = try VariantSplit(
            variants: "A=welcome_a,B=welcome_b,C=welcome_c", template: "x", split: "40/30/30", holdout: "5%")
        #expect(split.variants.map(\.share) == [0.4, 0.3, 0.3] && split.holdout == 0.05)
        #expect(
            try VariantSplit(variants: nil, template: "welcome", split: nil, holdout: nil).variants.map(\.template) == ["welcome"]
        )
        for (variants, split, holdout) in [
            ("A=x", nil, nil), ("A=x,A=y", nil, nil), ("A=x,B", nil, nil), ("A=x,B=y", "60/30", nil),
            ("A=x,B=y", "50/30/20", nil), ("A=x,B=y", nil, "60%"), ("A-1=x,B=y", nil, nil),
        ] as [(String, String?, String?)] {
            #expect(throws: WamigrateError.self, "\(variants) \(split ?? "") \(holdout ?? "")") {
                try VariantSplit(variants: variants, template: "x", split: split, holdout: holdout)
            }
        }
    }

    @Test func aPersonKeepsTheirDrawsWhoeverElseArrives() throws {
        let plan = try Self.assignment()
        let first = (0..<5_000).map { plan.draw(contactID: "c\($0)") }
        // A re-plan after 20,000 new contacts, drawn in another order.
        let again = try Self.assignment()
        let later = (0..<25_000).reversed().map { again.draw(contactID: "c\($0)") }.reversed()
        #expect(Array(later.prefix(5_000)) == first)
        // Another wave (another key) draws independently.
        let other = CohortAssignment(key: Data(repeating: 9, count: 32), stages: plan.stages, split: plan.split)
        let moved = (0..<5_000).filter { other.draw(contactID: "c\($0)") != first[$0] }.count
        #expect(moved > 4_900)
    }

    @Test func cohortsVariantsAndHoldoutTakeTheirSharesInEveryCountry() throws {
        let plan = try Self.assignment(split: "70/30")
        // Three strata of different sizes; each must carry the shares, within 4 binomial sd.
        for (country, size) in [("DE", 60_000), ("TR", 25_000), ("NG", 8_000)] {
            let draws = (0..<size).map { plan.draw(contactID: "\(country)-\($0)") }
            let people = draws.map {
                StratifiedCohorts.Person(
                    stratum: plan.stratum(region: country, language: nil), point: $0.point, holdout: $0.holdout, kept: nil)
            }
            let quota = StratifiedCohorts(stages: plan.stages).cohorts(for: people)
            var cohorts = [Int](repeating: 0, count: 4)
            var variantB = [Int](repeating: 0, count: 4)
            var holdout = 0
            for (index, draw) in draws.enumerated() {
                if draw.holdout { holdout += 1; continue }
                cohorts[Int(quota[index])] += 1
                if plan.split.variants[draw.variant].name == "B" { variantB[Int(quota[index])] += 1 }
            }
            func near(_ count: Int, _ n: Int, _ p: Double) -> Bool {
                abs(Double(count) - Double(n) * p) <= 4 * (Double(n) * p * (1 - p)).squareRoot() + 1
            }
            #expect(near(holdout, size, 0.05), "\(country) holdout \(holdout)")
            let kept = size - holdout
            for (cohort, share) in [0.01, 0.09, 0.4, 0.5].enumerated() {
                // By quota: within one person of the share, not merely within the binomial spread.
                #expect(
                    abs(Double(cohorts[cohort]) - Double(kept) * share) <= 1,
                    "\(country) cohort \(cohort + 1): \(cohorts[cohort])")
                #expect(near(variantB[cohort], cohorts[cohort], 0.3), "\(country) cohort \(cohort + 1) B: \(variantB[cohort])")
            }
        }
    }

    /// A base of countries and languages of very different sizes, as (country, language, people).
    static let base: [(String, String, Int)] = [
        ("DE", "de", 900), ("DE", "en", 140), ("DE", "tr", 61), ("TR", "tr", 480), ("TR", "en", 23), ("NG", "en", 207),
        ("NG", "yo", 9), ("AT", "de", 3), ("CH", "fr", 1), ("CH", "de", 2),
    ]

    static func people(_ plan: CohortAssignment, prefix: String = "", kept: [String: Int] = [:]) -> (
        ids: [String], strata: [String], people: [StratifiedCohorts.Person]
    ) {
        var ids: [String] = []
        var strata: [String] = []
        var people: [StratifiedCohorts.Person] = []
        for (country, language, size) in base {
            for index in 0..<size {
                let id = "\(prefix)\(country)-\(language)-\(index)"
                let draw = plan.draw(contactID: id)
                ids.append(id)
                strata.append("\(country)/\(language)")
                people.append(
                    .init(
                        stratum: plan.stratum(region: country, language: language), point: draw.point,
                        holdout: draw.holdout, kept: kept[id]))
            }
        }
        return (ids, strata, people)
    }

    /// The largest distance, in people, between a stratum's count in a cohort and its share of
    /// the stratum (countries, languages within countries, and languages across countries).
    static func largestQuotaMiss(
        _ cohorts: [Int], _ strata: [String], _ people: [StratifiedCohorts.Person], shares: [Double]
    ) -> Double {
        var groups: [String: [Int]] = [:]
        for index in cohorts.indices where !people[index].holdout {
            let parts = strata[index].split(separator: "/")
            for group in [strata[index], "country " + parts[0], "language " + parts[1]] {
                groups[group, default: []].append(cohorts[index])
            }
        }
        return groups.values.map { members in
            shares.enumerated().map { cohort, share in
                abs(Double(members.filter { $0 == cohort }.count) - share * Double(members.count))
            }.max() ?? 0
        }.max() ?? 0
    }

    @Test func everyCountryAndLanguageGetsEachCohortsShareByQuota() throws {
        let plan = try Self.assignment()
        let shares = [0.01, 0.09, 0.4, 0.5]
        let (_, strata, people) = Self.people(plan)
        let quota = StratifiedCohorts(stages: plan.stages).cohorts(for: people).map(Int.init)
        let miss = Self.largestQuotaMiss(quota, strata, people, shares: shares)
        #expect(miss <= 2, "a stratum missed a cohort's share by \(miss) people")
        // The draw alone (what plans did before) misses by far more on these sizes.
        let drawn = people.map { person in plan.stages.cumulative.firstIndex { person.point < $0 } ?? 3 }
        #expect(Self.largestQuotaMiss(drawn, strata, people, shares: shares) > 8)
        // The smallest cohort gets its 1 % of everyone outside the holdout, to within one person.
        let outside = people.filter { !$0.holdout }.count
        let first = quota.indices.filter { !people[$0].holdout && quota[$0] == 0 }.count
        #expect(abs(Double(first) - 0.01 * Double(outside)) <= 1, "\(first) of \(outside)")
    }

    @Test func aRePlanKeepsEveryonesPlaceAndNewcomersFillTheQuotas() throws {
        let plan = try Self.assignment()
        let shares = [0.01, 0.09, 0.4, 0.5]
        let (ids, _, people) = Self.people(plan)
        let first = StratifiedCohorts(stages: plan.stages).cohorts(for: people).map(Int.init)
        var kept: [String: Int] = [:]
        for (index, id) in ids.enumerated() { kept[id] = first[index] }
        // The same base again, plus as many newcomers in the same strata.
        let old = Self.people(plan, kept: kept)
        let new = Self.people(plan, prefix: "new-")
        let everyone = old.people + new.people
        let again = StratifiedCohorts(stages: plan.stages).cohorts(for: everyone).map(Int.init)
        #expect(Array(again.prefix(ids.count)) == first, "a re-plan moved someone")
        let miss = Self.largestQuotaMiss(again, old.strata + new.strata, everyone, shares: shares)
        #expect(miss <= 3, "after newcomers a stratum missed a cohort's share by \(miss) people")
    }

    @Test func aGateNamesTheFigureThatFailedAndByHowMuch() throws {
        let gate = try Gate(parsing: "delivered>=0.9,read>=40%,optout<=0.01,blocked<=0.005", minimumSample: 100)
        #expect(gate.described == "delivered>=0.9,read>=0.4,optout<=0.01,blocked<=0.005")
        let good = SignalCounts(measured: 1_000, counts: [.delivered: 950, .read: 450, .optout: 5, .blocked: 2])
        #expect(gate.check(good).verdict == .holds)
        let bad = SignalCounts(measured: 1_000, counts: [.delivered: 950, .read: 310, .optout: 5, .blocked: 2])
        let check = gate.check(bad)
        #expect(check.verdict == .fails && check.sample == 1_000)
        #expect(check.failures.count == 1)
        #expect(
            check.failures.first?.hasPrefix("read 0.31 < 0.4 (short by 0.09); 95% CI 0.282–0.339, n=1000") == true,
            "\(check.failures)")
        #expect(gate.check(SignalCounts(measured: 1_000, waiting: 3, counts: good.counts)).verdict == .waiting)
        #expect(gate.check(SignalCounts(measured: 40, counts: [.delivered: 40, .read: 40])).verdict == .tooFew)
        for bad in ["read>0.4", "reads>=0.4", "read>=1.4", "read>=0.4,read>=0.5", "read=>0.4"] {
            #expect(throws: WamigrateError.self, "\(bad)") { try Gate(parsing: bad) }
        }
    }

    @Test func theLimitGrowsAsThePlatformScales() {
        // 250 until 2,000 delivered in 30 days (8 days); then half the limit used in 7 days lifts it.
        let forecast = TierForecast(audience: 20_000, startLimit: 250)
        #expect(
            forecast.steps == [
                .init(firstDay: 0, lastDay: 7, limit: 250, sent: 2_000),
                .init(firstDay: 8, lastDay: 8, limit: 2_000, sent: 2_000),
                .init(firstDay: 9, lastDay: 9, limit: 10_000, sent: 10_000),
                .init(firstDay: 10, lastDay: 10, limit: 100_000, sent: 6_000),
            ])
        #expect(forecast.days == 11)
        // Half the messages lost: the scaling path needs twice the days.
        #expect(TierForecast(audience: 20_000, startLimit: 250, deliveredShare: 0.5).steps.first?.lastDay == 15)
        #expect(TierForecast(audience: 300_000, startLimit: nil).days == 1)
        #expect(TierForecast(audience: 0, startLimit: 250).days == 0)
    }
}
