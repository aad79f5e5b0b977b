import Foundation
import Testing
import WamigrateModel

@testable import WamigrateCore

@Suite("Variant comparison")
struct VariantComparisonTests {
    /// A seeded generator, so a failure names a seed that reproduces it.
    struct Draws {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
    }

    static func counts(rate: Double, messages: Int, _ draws: inout Draws) -> SignalCounts {
        var read = 0
        for _ in 0..<messages where draws.next() < rate { read += 1 }
        return SignalCounts(measured: messages, counts: [.read: read])
    }

    @Test func equalRatesNameAFalseWinnerNoMoreOftenThanTheLevelOverEveryLook() {
        // The rollout's procedure: compare after each of four cohorts (1 %, 10 %, 50 %, 100 %
        // of 2,000 per variant), a winner if any look names one.
        var draws = Draws(state: 29)
        let sizes = [20, 200, 1_000, 2_000]
        var falseWinners = 0
        let trials = 1_000
        for _ in 0..<trials {
            var a = SignalCounts()
            var b = SignalCounts()
            var named = false
            for size in sizes {
                let grow = size - a.measured
                a = a + Self.counts(rate: 0.25, messages: grow, &draws)
                b = b + Self.counts(rate: 0.25, messages: grow, &draws)
                let comparison = VariantComparison(signal: .read, variants: [("A", a), ("B", b)], looks: sizes.count)
                if comparison.winner != nil { named = true }
            }
            if named { falseWinners += 1 }
        }
        #expect(Double(falseWinners) / Double(trials) <= 0.05, "\(falseWinners) false winners of \(trials)")
    }

    @Test func aRealDifferenceIsNamedOnlyOnceTheIntervalSupportsIt() throws {
        var draws = Draws(state: 7)
        let few = VariantComparison(
            signal: .read,
            variants: [
                ("A", Self.counts(rate: 0.2, messages: 60, &draws)), ("B", Self.counts(rate: 0.3, messages: 60, &draws)),
            ], looks: 4)
        #expect(few.winner == nil)
        let more = try #require(few.morePerVariant)
        #expect(more > 100, "a 10-point difference at 98.75 % needs several hundred per variant, not \(more)")

        let many = VariantComparison(
            signal: .read,
            variants: [
                ("A", Self.counts(rate: 0.2, messages: 3_000, &draws)), ("B", Self.counts(rate: 0.3, messages: 3_000, &draws)),
            ], looks: 4)
        #expect(many.winner == "B")
        let difference = try #require(many.rows.first { $0.variant == "A" }?.differenceFromBest)
        #expect(difference.lower > 0 && difference.contains(0.1))
        #expect(abs(many.level - 0.9875) < 1e-9, "two variants, four looks: 95 % split four ways")
    }

    /// The demo's first cohort: 6 of 6 read B, 0 of 1 read A. The interval alone excludes zero,
    /// but one message is not a rate: no winner until each variant has its minimum.
    @Test func aHandfulOfMessagesNamesNoWinnerHoweverLopsided() throws {
        let comparison = VariantComparison(
            signal: .read,
            variants: [
                ("A", SignalCounts(measured: 1, counts: [.read: 0])), ("B", SignalCounts(measured: 6, counts: [.read: 6])),
            ], looks: 2)
        let difference = try #require(comparison.rows.first { $0.variant == "A" }?.differenceFromBest)
        #expect(difference.lower > 0, "Newcombe alone would say B")
        #expect(comparison.winner == nil)
        #expect(comparison.morePerVariant ?? 0 >= VariantComparison.minimumPerVariant - 1)
        #expect(comparison.chiSquared.map { $0.smallestExpected < 5 } == true)
    }

    @Test func forASignalWhereLessIsBetterTheLowerShareWins() {
        let comparison = VariantComparison(
            signal: .optout,
            variants: [
                ("A", SignalCounts(measured: 5_000, counts: [.optout: 250])),
                ("B", SignalCounts(measured: 5_000, counts: [.optout: 50])),
            ], looks: 1)
        #expect(comparison.winner == "B" && comparison.best == "B")
    }

    @Test func noDifferenceSeenNamesNoSampleSize() {
        let same = SignalCounts(measured: 500, counts: [.read: 100])
        let comparison = VariantComparison(signal: .read, variants: [("A", same), ("B", same)], looks: 1)
        #expect(comparison.winner == nil && comparison.morePerVariant == nil)
    }
}
