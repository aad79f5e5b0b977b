import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateModel

enum RolloutPrinter {
    static func plan(_ r: RolloutPlanSummary) {
        let cohorts = r.cohorts.enumerated().map { "\($0.offset + 1): \($0.element)" }.joined(separator: ", ")
        print("rollout \(r.stages): cohorts \(cohorts); holdout (legacy channel) \(r.holdout)")
        print("variants: \(WavePrinter.counts(r.variants)); gate: \(r.gate.isEmpty ? "none" : r.gate)")
        let gaps = r.mixGap.map { String(format: "%.1f", $0 * 100) }.joined(separator: ", ")
        print("largest gap from the audience's country/language mix, per cohort (points): \(gaps)")
        if r.keptKey { print("drawn with the wave's earlier key: everyone planned before kept their cohort and variant") }
    }

    static func share(_ value: Double) -> String { String(format: "%.3f", value) }

    static func status(_ s: RolloutStatus) {
        print(
            "rollout \(s.stages): \(s.released) of \(s.cohorts.count) cohorts released"
                + (s.promoted.map { ", promoted \($0)" } ?? ""))
        if let paused = s.paused { print("PAUSED: \(paused)") }
        for cohort in s.cohorts {
            let c = cohort.signals
            print(
                "  cohort \(cohort.cohort)\(cohort.released ? "" : " (held)"): planned \(cohort.planned), measured \(c.measured), "
                    + "waiting \(c.waiting), holdout \(cohort.holdout)")
        }
        for variant in s.variants {
            let figures = variant.figures.filter {
                $0.observed.successes > 0 || [.delivered, .read, .optout].contains($0.signal)
            }
            .map { "\($0.signal.rawValue) \(share($0.observed.share)) [\(share($0.interval.lower))–\(share($0.interval.upper))]" }
            print(
                "  variant \(variant.variant) (\(variant.template)), n=\(variant.signals.measured): \(figures.joined(separator: ", "))"
            )
        }
        if let check = s.gateCheck {
            print("gate \(s.gate.isEmpty ? "none" : s.gate) on the newest cohort: \(check.verdict.rawValue), n=\(check.sample)")
            for figure in check.figures { print("  \(figure.described)") }
        }
        if let comparison = s.comparison {
            print(
                "variants on \(comparison.signal.rawValue), differences at \(WaveRollout.percent(comparison.level)) "
                    + "(Newcombe, Bonferroni over variants and cohorts):")
            for row in comparison.rows {
                if let difference = row.differenceFromBest {
                    print("  \(comparison.best ?? "") − \(row.variant): [\(share(difference.lower)), \(share(difference.upper))]")
                }
            }
            if let test = comparison.chiSquared {
                print(
                    String(
                        format: "  Pearson's chi-squared %.2f, %d df, p = %.4f", test.statistic, test.degreesOfFreedom,
                        test.pValue))
            }
            if let winner = comparison.winner {
                print("  winner: \(winner)")
            } else if let more = comparison.morePerVariant {
                print("  no winner yet: about \(more) more measured messages per variant would show this difference")
            } else {
                print("  no winner: the variants show no difference")
            }
        }
        for decision in s.decisions {
            print("  \(ISOTime.string(decision.at)) cohort \(decision.cohort + 1): \(decision.verdict) — \(decision.detail)")
        }
    }
}
