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

    static func status(_ s: RolloutStatus) {
        for line in s.lines { print(line) }
    }
}
