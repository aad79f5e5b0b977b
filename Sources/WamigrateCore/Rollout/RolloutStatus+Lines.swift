import Foundation
import WamigrateBase
import WamigrateModel

extension RolloutStatus {
    /// The status in words, a line each, as `wave status` prints it and the report notes it.
    public var lines: [String] {
        let s = self
        var out: [String] = []
        func share(_ value: Double) -> String { String(format: "%.3f", value) }
        out.append(
            "rollout \(s.stages): \(s.released) of \(s.cohorts.count) cohorts released"
                + (s.promoted.map { ", promoted \($0)" } ?? ""))
        if let paused = s.paused { out.append("PAUSED: \(paused)") }
        for cohort in s.cohorts {
            let c = cohort.signals
            out.append(
                "  cohort \(cohort.cohort)\(cohort.released ? "" : " (held)"): planned \(cohort.planned), measured \(c.measured), "
                    + "waiting \(c.waiting), holdout \(cohort.holdout)")
        }
        for variant in s.variants {
            let figures = variant.figures.filter {
                $0.observed.successes > 0 || [.delivered, .read, .optout].contains($0.signal)
            }
            .map { "\($0.signal.rawValue) \(share($0.observed.share)) [\(share($0.interval.lower))–\(share($0.interval.upper))]" }
            out.append(
                "  variant \(variant.variant) (\(variant.template)), n=\(variant.signals.measured): \(figures.joined(separator: ", "))"
            )
        }
        if let holdout = s.holdout {
            let figures = holdout.figures.map {
                "\($0.signal.rawValue) \(share($0.observed.share)) [\(share($0.interval.lower))–\(share($0.interval.upper))]"
            }
            out.append(
                "  holdout on the legacy channel (SMS/Viber), n=\(holdout.signals.measured) messaged: "
                    + (holdout.signals.measured == 0 ? "none messaged yet" : figures.joined(separator: ", ")))
            if holdout.signals.measured > 0 {
                let versus = holdout.versus.map {
                    "\($0.signal.rawValue) [\(share($0.difference.lower)), \(share($0.difference.upper))]"
                }
                out.append("  WhatsApp − legacy at 95% (Newcombe): \(versus.joined(separator: ", "))")
            }
        }
        if let check = s.gateCheck {
            out.append(
                "gate \(s.gate.isEmpty ? "none" : s.gate) on the newest cohort: \(check.verdict.rawValue), n=\(check.sample)")
            for figure in check.figures { out.append("  \(figure.described)") }
        }
        if let comparison = s.comparison {
            out.append(
                "variants on \(comparison.signal.rawValue), differences at \(WaveRollout.percent(comparison.level)) "
                    + "(Newcombe, Bonferroni over variants and cohorts):")
            for row in comparison.rows {
                if let difference = row.differenceFromBest {
                    out.append(
                        "  \(comparison.best ?? "") − \(row.variant): [\(share(difference.lower)), \(share(difference.upper))]")
                }
            }
            if let test = comparison.chiSquared {
                out.append(
                    String(
                        format: "  Pearson's chi-squared %.2f, %d df, p = %.4f", test.statistic, test.degreesOfFreedom,
                        test.pValue) + (test.smallestExpected < 5 ? " (an expected count under 5: approximate)" : ""))
            }
            if let winner = comparison.winner {
                out.append("  winner: \(winner)")
            } else if let more = comparison.morePerVariant {
                out.append("  no winner yet: about \(more) more measured messages per variant would show this difference")
            } else {
                out.append("  no winner: the variants show no difference")
            }
        }
        if let forecast = s.forecast, forecast.audience > 0 {
            out.append(
                "limit forecast for the \(forecast.audience) messages left, from \(forecast.startLimit.map(String.init) ?? "unlimited") "
                    + "(\(s.forecastFrom ?? "")): \(forecast.days == 1 ? "1 day" : "\(forecast.days) days"): \(forecast.described)"
            )
        }
        for decision in s.decisions {
            out.append("  \(ISOTime.string(decision.at)) cohort \(decision.cohort + 1): \(decision.verdict) — \(decision.detail)")
        }
        return out
    }
}
