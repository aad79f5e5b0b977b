import Foundation
import WamigrateBase

/// `--variants A=welcome_a,B=welcome_b [--split 50/50] [--holdout 5%]`: which template each
/// variant sends, each variant's share of the people who get WhatsApp, and the share held
/// back on the legacy channel so the migration's own effect is measured.
public struct VariantSplit: Codable, Sendable, Equatable {
    public struct Variant: Codable, Sendable, Equatable {
        public var name: String
        public var template: String
        /// Share of the non-holdout audience, in (0, 1]; the shares sum to 1.
        public var share: Double
    }

    public private(set) var variants: [Variant]
    /// Share of the audience kept on the legacy channel, in [0, 0.5].
    public private(set) var holdout: Double

    /// The most variants one wave tests (as marketing tools offer: up to 8).
    public static let maximum = 8

    /// One template, no test: what a wave without `--variants` sends.
    public static func single(template: String, holdout: Double = 0) -> VariantSplit {
        VariantSplit(variants: [Variant(name: "A", template: template, share: 1)], holdout: holdout)
    }

    init(variants: [Variant], holdout: Double) {
        self.variants = variants
        self.holdout = holdout
    }

    public init(variants text: String?, template: String, split: String?, holdout: String?) throws {
        var variants: [Variant] = []
        if let text {
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, Self.plain(pair[0]), !pair[1].isEmpty else {
                    throw WamigrateError(
                        .usage, "--variants: '\(part)' is not NAME=TEMPLATE",
                        hint: "e.g. --variants A=welcome_a,B=welcome_b (names: letters and digits)")
                }
                guard !variants.contains(where: { $0.name == pair[0] }) else {
                    throw WamigrateError(.usage, "--variants names \(pair[0]) twice", hint: "give each variant its own name")
                }
                variants.append(Variant(name: pair[0], template: pair[1], share: 0))
            }
            guard (2...Self.maximum).contains(variants.count) else {
                throw WamigrateError(
                    .usage, "--variants gives \(variants.count) variant(s)",
                    hint: "an A/B test needs 2 to \(Self.maximum) variants; leave --variants out to send one template")
            }
        } else {
            variants = [Variant(name: "A", template: template, share: 0)]
        }
        let shares = try Self.shares(split, count: variants.count)
        for index in variants.indices { variants[index].share = shares[index] }
        self.variants = variants
        if let holdout {
            guard let share = Share(parsing: holdout), share.value <= 0.5 else {
                throw WamigrateError(
                    .usage, "--holdout '\(holdout)' is not a share up to 50%",
                    hint: "e.g. --holdout 5% keeps 5% of the audience on SMS/Viber as the comparison group")
            }
            self.holdout = share.value
        } else {
            self.holdout = 0
        }
    }

    /// `--split 50/50` (percentages, summing to 100), or equal shares.
    static func shares(_ split: String?, count: Int) throws -> [Double] {
        guard let split else { return Array(repeating: 1 / Double(count), count: count) }
        let parts = split.split(separator: "/", omittingEmptySubsequences: false).map {
            Double($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: ""))
        }
        guard parts.count == count, parts.allSatisfy({ ($0 ?? -1) > 0 }) else {
            throw WamigrateError(
                .usage, "--split '\(split)' does not give one positive share per variant (\(count))",
                hint: "e.g. --split 50/50 for two variants, 40/30/30 for three")
        }
        let values = parts.map { $0! }
        let total = values.reduce(0, +)
        guard abs(total - 100) < 1e-9 else {
            throw WamigrateError(.usage, "--split '\(split)' sums to \(total), not 100", hint: "e.g. --split 50/50")
        }
        return values.map { $0 / 100 }
    }

    static func plain(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 16 && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) }
    }

    /// The variant of a point drawn uniformly from [0, 1).
    /// The index of the variant a point in [0, 1) falls to, by the variants' shares.
    public func variant(at point: Double) -> Int {
        var total = 0.0
        for (index, variant) in variants.enumerated() {
            total += variant.share
            if point < total { return index }
        }
        return variants.count - 1
    }

    public func named(_ name: String) -> Variant? { variants.first { $0.name == name } }

    public var isTest: Bool { variants.count > 1 }
}
