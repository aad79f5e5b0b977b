import Foundation
import Testing

@testable import WamigrateCore

/// Figures checked against published worked examples and tables, not against this code.
@Suite("Rollout statistics")
struct RolloutStatisticsTests {
    @Test func wilsonIntervalsMatchNewcombesTable() {
        // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table II, method 3.
        let a = Proportion(successes: 81, trials: 263).wilson()
        #expect(abs(a.lower - 0.2553) < 5e-4 && abs(a.upper - 0.3662) < 5e-4, "\(a)")
        let b = Proportion(successes: 0, trials: 20).wilson()
        #expect(b.lower == 0 && abs(b.upper - 0.1611) < 5e-4, "\(b)")
        let c = Proportion(successes: 1, trials: 29).wilson()
        #expect(abs(c.lower - 0.0061) < 5e-4 && abs(c.upper - 0.1718) < 5e-4, "\(c)")
    }

    @Test func differenceIntervalsMatchNewcombesMethodTen() {
        // Newcombe (1998), "Interval estimation for the difference between independent proportions",
        // Table II, method 10: 56/70 − 48/80 → 0.0524 to 0.3339; 9/10 − 3/10 → 0.1705 to 0.8090.
        let first = Proportion(successes: 56, trials: 70).difference(from: Proportion(successes: 48, trials: 80))
        #expect(abs(first.lower - 0.0524) < 5e-4 && abs(first.upper - 0.3339) < 5e-4, "\(first)")
        let second = Proportion(successes: 9, trials: 10).difference(from: Proportion(successes: 3, trials: 10))
        #expect(abs(second.lower - 0.1705) < 5e-4 && abs(second.upper - 0.8090) < 5e-4, "\(second)")
    }

    @Test(arguments: [
        (3.841_459, 1, 0.05), (6.634_897, 1, 0.01), (5.991_465, 2, 0.05), (11.070_50, 5, 0.05), (0.454_936, 1, 0.5),
        (18.307_04, 10, 0.05),
    ])
    func chiSquaredTailsMatchTheTable(statistic: Double, degrees: Int, p: Double) {
        #expect(abs(ChiSquared.upperTail(statistic, degreesOfFreedom: degrees) - p) < 1e-5)
    }

    @Test func chiSquaredOnATwoByTwoTableIsTheSquaredZ() throws {
        // 30/100 vs 20/100: pooled 0.25, z = 0.1 / sqrt(0.25·0.75·0.02) = 1.633, χ² = z² = 2.667.
        let test = try #require(ChiSquared([Proportion(successes: 30, trials: 100), Proportion(successes: 20, trials: 100)]))
        #expect(abs(test.statistic - 2.6667) < 1e-3 && test.degreesOfFreedom == 1)
        #expect(abs(test.pValue - 0.1025) < 1e-3)
        #expect(ChiSquared([Proportion(successes: 0, trials: 50), Proportion(successes: 0, trials: 50)]) == nil)
    }

    @Test(arguments: [(0.975, 1.959_964), (0.8, 0.841_621), (0.995, 2.575_829), (0.01, -2.326_348), (0.5, 0)])
    func normalQuantilesMatchTheTable(p: Double, z: Double) {
        #expect(abs(Normal.quantile(p) - z) < 1e-5)
    }
}
