import Foundation
import WamigrateBase

/// The messaging limit the platform announced (`business_capability_update`,
/// `phone_number_quality_update`, contracts §9.3).
public struct PlatformLimit: Codable, Sendable, Equatable {
    public var field: String
    public var event: String?
    /// Unique recipients per rolling 24 h; nil: unlimited.
    public var tier: Int?
    public var raw: String
    public var at: Int64
    public var origin: String

    public init(field: String, event: String?, tier: Int?, raw: String, at: Int64, origin: String) {
        self.field = field
        self.event = event
        self.tier = tier
        self.raw = raw
        self.at = at
        self.origin = origin
    }

    /// `TIER_2K` → 2,000; `TIER_UNLIMITED` → unlimited (nil); `TIER_NOT_SET` and unknown words: not a limit.
    public static func tier(named word: String) -> Int?? {
        switch word.uppercased() {
        case "TIER_50": 50
        case "TIER_250": 250
        case "TIER_1K": 1_000
        case "TIER_2K": 2_000
        case "TIER_10K": 10_000
        case "TIER_100K": 100_000
        case "TIER_UNLIMITED": .some(nil)
        default: nil
        }
    }

    /// How the limit is named in plans, sends and the report.
    public var described: String {
        "\(tier.map { "\($0)" } ?? "unlimited") from \(field) (\(raw)) at \(ISOTime.string(at))"
    }
}
