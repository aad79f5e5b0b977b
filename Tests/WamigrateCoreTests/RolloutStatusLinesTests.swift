import Foundation
import Testing
import WamigrateModel

@testable import WamigrateCore

/// What `wave status` and the report say of a comparison: the words follow the figures.
@Suite("Rollout status in words")
struct RolloutStatusLinesTests {
    static func status(_ a: (read: Int, of: Int), _ b: (read: Int, of: Int), paused: String? = nil) -> RolloutStatus {
        var status = RolloutStatus()
        status.stages = "100%"
        status.paused = paused
        status.comparison = VariantComparison(
            signal: .read,
            variants: [
                ("A", SignalCounts(measured: a.of, counts: [.read: a.read])),
                ("B", SignalCounts(measured: b.of, counts: [.read: b.read])),
            ], looks: 1)
        return status
    }

    @Test func aSmallDifferenceSaysHowManyMoreMessagesWouldShowIt() throws {
        let few = Self.status((20, 60), (25, 60))
        let more = try #require(few.comparison?.morePerVariant)
        #expect(
            few.lines.contains("  no winner yet: about \(more) more measured messages per variant would show this difference"))
        #expect(few.lines.contains { $0.hasPrefix("  Pearson's chi-squared") })
        #expect(!few.lines.contains { $0.hasPrefix("  winner") })

        // The same shares on that many more messages each: now the data support B.
        let n = 60 + more
        let enough = Self.status((n / 3, n), (n * 5 / 12, n))
        #expect(enough.comparison?.winner == "B", "\(enough.lines)")
        #expect(enough.lines.contains("  winner: B"))
    }

    @Test func aPauseIsTheSecondLineWithItsReason() {
        let paused = Self.status((20, 60), (20, 60), paused: "template wa_welcome is of RED quality")
        #expect(paused.lines.dropFirst().first == "PAUSED: template wa_welcome is of RED quality")
        #expect(paused.lines.contains("  no winner: the variants show no difference"))
    }
}
