import Foundation
import WamigrateBase
import WamigrateModel

/// How a wave is planned and sent; stored with the wave so `send` keeps to what `plan` promised.
public struct WaveSettings: Codable, Sendable, Equatable {
    /// One template body variable and the contact field it takes (`--param 1=name`).
    public struct Parameter: Codable, Sendable, Equatable {
        public var variable: String
        public var field: String
        /// Used when the contact has no value for the field (`--fallback 1=Kunde`).
        public var fallback: String?

        public init(variable: String, field: String, fallback: String? = nil) {
            self.variable = variable
            self.field = field
            self.fallback = fallback
        }
    }

    public var name: String
    public var template: String
    public var language: String
    public var list: ImportList = .whatsappReady
    /// Unique recipients per rolling 24 h (the messaging limit); nil: unlimited.
    public var tier: Int?
    /// Where `tier` came from: `--tier`, the platform's announcement (`PlatformLimit.described`),
    /// or none. A platform tier is read again at send time (it may have changed since).
    public var tierSource: String?
    public var parameters: [Parameter] = []
    /// Leave contacts without a parameter value out (reason `missing_parameter:<field>`) instead of stopping.
    public var skipMissing = false
    public var policy = ConsentPolicy()
    /// Gradual rollout (`--rollout`, `--variants`, `--split`, `--holdout`, `--gate`); nil: everyone at once.
    public var rollout: RolloutSettings?

    /// The messaging-limit tiers (contracts §8.2): unique recipients per rolling 24 h.
    public static let tiers = [250, 2_000, 10_000, 100_000]

    public init(name: String, template: String, language: String) {
        self.name = name
        self.template = template
        self.language = language
    }

    public func validate() throws {
        guard !name.isEmpty, name.count <= 64,
            name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0) })
        else {
            throw WamigrateError(.usage, "wave name '\(name)' is not plain", hint: "use letters, digits, _ - . (up to 64)")
        }
        if let tier, !Self.tiers.contains(tier) {
            throw WamigrateError(
                .usage, "--tier \(tier) is not a messaging limit",
                hint: "use 250, 2000, 10000 or 100000 (or leave it out for an unlimited portfolio)")
        }
        for parameter in parameters where !WaveCandidate.fields.contains(parameter.field) {
            throw WamigrateError(
                .usage, "--param \(parameter.variable)=\(parameter.field): no contact field '\(parameter.field)'",
                hint: "fields are \(WaveCandidate.fields.joined(separator: ", "))")
        }
        try policy.validate()
    }

    /// The template a variant sends (the wave's own without `--variants`).
    public func template(forVariant name: String) -> String {
        rollout?.split.named(name)?.template ?? template
    }

    /// Every template the wave sends.
    public var templates: [String] { rollout?.split.variants.map(\.template) ?? [template] }
}

/// How a wave goes out gradually; stored with the wave so re-plans draw the same cohorts.
public struct RolloutSettings: Codable, Sendable, Equatable {
    public var stages: RolloutStages
    public var split: VariantSplit
    public var gate: Gate
    /// Seconds a sent message waits before its statuses count in a gate (`--gate-wait`).
    public var wait: Int64
    /// The signal variants are compared on (`--compare`, default read).
    public var compare: RolloutSignal
    /// The keyed hash's key (32 bytes); a re-plan of the same wave keeps it.
    public var key: Data

    public init(stages: RolloutStages, split: VariantSplit, gate: Gate, wait: Int64, compare: RolloutSignal, key: Data) {
        self.stages = stages
        self.split = split
        self.gate = gate
        self.wait = wait
        self.compare = compare
        self.key = key
    }

    public var assignment: CohortAssignment { CohortAssignment(key: key, stages: stages, split: split) }
}

extension WaveStore {
    public func waveSettings(_ name: String) throws -> WaveSettings {
        let record = try wave(name)
        guard let settings = try? JSONDecoder().decode(WaveSettings.self, from: Data(record.settingsJSON.utf8)) else {
            throw WamigrateError(
                .store, "wave \(name)'s settings do not decode", hint: "plan the wave again under a new --name")
        }
        return settings
    }
}
