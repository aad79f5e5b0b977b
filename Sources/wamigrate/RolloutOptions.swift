import ArgumentParser
import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateModel

/// `wave plan`'s gradual rollout and A/B options.
struct RolloutOptions: ParsableArguments {
    @Option(help: "Cohorts as running shares of the audience, e.g. 1%,10%,50%,100%.") var rollout: String?
    @Option(help: "A/B variants: NAME=TEMPLATE,… (2 to 8 templates of one category and body).") var variants: String?
    @Option(help: "Each variant's share in percent, e.g. 50/50 (default: equal).") var split: String?
    @Option(help: "Share kept on the legacy channel (SMS/Viber) to measure the migration's effect, e.g. 5%.")
    var holdout: String?
    @Option(help: "What a cohort must show before the next goes out, e.g. delivered>=0.9,read>=0.4,optout<=0.01,blocked<=0.005.")
    var gate: String?
    @Option(help: "Seconds a sent message waits before it counts in a gate (its statuses arrive).") var gateWait: Int64 = 3_600
    @Option(help: "Fewest measured messages a gate is judged on (a smaller cohort is judged whole).") var gateSample = 100
    @Option(help: "The signal variants are compared on: delivered, read, replied, optout, blocked, …") var compare = "read"

    func validate() throws {
        guard gateWait >= 0 else { throw ValidationError("--gate-wait cannot be negative") }
        guard gateSample >= 1 else { throw ValidationError("--gate-sample must be at least 1") }
        guard RolloutSignal(rawValue: compare) != nil else {
            throw ValidationError(
                "--compare \(compare) is not a signal (\(RolloutSignal.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    /// nil when no rollout option was given: the wave goes to everyone at once.
    func settings(template: String) throws -> RolloutSettings? {
        guard rollout != nil || variants != nil || holdout != nil || gate != nil || split != nil else { return nil }
        if split != nil, variants == nil {
            throw WamigrateError(
                .usage, "--split needs --variants", hint: "e.g. --variants A=welcome_a,B=welcome_b --split 50/50")
        }
        return RolloutSettings(
            stages: try rollout.map(RolloutStages.init(parsing:)) ?? .all,
            split: try VariantSplit(variants: variants, template: template, split: split, holdout: holdout),
            gate: try gate.map { try Gate(parsing: $0, minimumSample: gateSample) }
                ?? Gate(conditions: [], minimumSample: gateSample),
            wait: gateWait, compare: RolloutSignal(rawValue: compare) ?? .read, key: Data())
    }
}

/// `wave status --json`: the wave's report with its rollout beside it.
struct WaveStatusOutput: Encodable {
    var report: WaveStatusReport
    var rollout: RolloutStatus?

    enum Key: String, CodingKey { case rollout }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(rollout, forKey: .rollout)
    }
}
