import Crypto
import Foundation

/// Where one person falls in a rollout: a cohort and a variant, or the holdout.
public struct Assignment: Sendable, Equatable {
    /// 0-based cohort; a holdout person has one too, for the comparison of like with like.
    public var cohort: Int
    public var variant: String
    public var holdout: Bool
}

/// One person's own draws from the wave's key: their place in line within their stratum,
/// their variant (an index into the split) and whether they are held out. The cohort is
/// not drawn: the plan gives it by quota (`StratifiedCohorts`), lined up by `point`.
public struct Draw: Sendable, Equatable {
    public var point: Double
    public var variant: Int
    public var holdout: Bool
}

/// Draws a person's place in line, variant and holdout from a keyed hash of the contact id:
/// the same person draws the same on every plan of the wave, whoever else arrives, and
/// nobody can choose their draws without the key. The three come from separate bytes of one
/// HMAC-SHA256, so a person's variant does not depend on their cohort: each cohort holds
/// each variant in its share.
public struct CohortAssignment: Sendable {
    public var key: Data
    public var stages: RolloutStages
    public var split: VariantSplit

    public init(key: Data, stages: RolloutStages, split: VariantSplit) {
        self.key = key
        self.stages = stages
        self.split = split
    }

    /// A fresh wave's key: 32 random bytes, stored with the wave so re-plans draw the same.
    public static func newKey() -> Data { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) } }

    public func draw(contactID: String) -> Draw {
        let mac = Array(HMAC<SHA256>.authenticationCode(for: Data(contactID.utf8), using: SymmetricKey(data: key)))
        return Draw(
            point: Self.unit(mac, at: 0), variant: split.variant(at: Self.unit(mac, at: 8)),
            holdout: Self.unit(mac, at: 16) < split.holdout)
    }

    /// A stratum's place in line: country, then language within it, each in an order the key
    /// draws (so no country always stands where the smallest cohort's few places fall).
    public func stratum(region: String?, language: String?) -> UInt64 {
        func draw(_ text: String) -> UInt64 {
            let mac = Array(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key)))
            return mac[0..<4].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        return draw("region\u{0}" + (region ?? "")) << 32 | draw("language\u{0}" + (region ?? "") + "\u{0}" + (language ?? ""))
    }

    /// Eight bytes of the digest as a uniform point in [0, 1) (53 bits, as a Double holds).
    static func unit(_ bytes: [UInt8], at offset: Int) -> Double {
        var value: UInt64 = 0
        for byte in bytes[offset..<offset + 8] { value = value << 8 | UInt64(byte) }
        return Double(value >> 11) / Double(UInt64(1) << 53)
    }
}
