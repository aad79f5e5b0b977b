import Foundation
import Phone
import WamigrateBase
import WamigrateModel
import Yams

/// How one export's columns map to contact fields, and facts about the source.
/// Loaded from `mappings/*.yml`; see `mappings/README.md` for the format.
public struct MappingProfile: Codable, Sendable, Equatable {
    public var name: String
    public var description: String?
    /// `sms` or `viber`.
    public var channel: Channel
    /// Higher wins ties in survivorship (after recency).
    public var priority: Int?
    public var defaultRegion: String?
    /// Field → header names to look for, first match wins (case and punctuation ignored).
    public var columns: [String: [String]]
    /// Message logs: rows whose `column` value starts with `inbound` take the phone from `inboundPhone`.
    public var direction: Direction?
    /// Extra consent words for this source, added to the built-in ones.
    public var consentValues: ConsentValues?
    /// `DMY` or `MDY` for slash dates like 03/04/2026; default DMY.
    public var dateOrder: String?
    /// When true, headers not named in `columns` are still auto-detected.
    public var autodetect: Bool?
    /// How the source writes numbers without `+`: `international` (Viber), `national`
    /// or `mixed` (the default). See `ReadingChoice` and the README's normalize section.
    public var phoneFormat: PhoneFormat?
    /// Headers that together identify this export when no profile is named: auto mode
    /// picks the profile whose `detect` headers are all present (most headers wins).
    public var detect: [String]?

    public struct Direction: Codable, Sendable, Equatable {
        public var column: String
        public var inboundPhone: [String]

        enum CodingKeys: String, CodingKey {
            case column
            case inboundPhone = "inbound_phone"
        }
    }

    public struct ConsentValues: Codable, Sendable, Equatable {
        public var optedIn: [String]?
        public var optedOut: [String]?

        enum CodingKeys: String, CodingKey {
            case optedIn = "opted_in"
            case optedOut = "opted_out"
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, description, channel, priority, columns, direction, autodetect, detect
        case phoneFormat = "phone_format"
        case defaultRegion = "default_region"
        case consentValues = "consent_values"
        case dateOrder = "date_order"
    }

    /// The profile used when none is named: every field auto-detected.
    public static let auto = MappingProfile(
        name: "auto", description: "columns detected from common header names", channel: .sms, priority: nil,
        defaultRegion: nil, columns: [:], direction: nil, consentValues: nil, dateOrder: nil, autodetect: true,
        phoneFormat: nil, detect: nil)

    public static func load(yaml: String, origin: String) throws -> MappingProfile {
        do {
            var profile = try BoundedYAML.decode(MappingProfile.self, from: yaml)
            for key in profile.columns.keys where ContactField(rawValue: key) == nil {
                throw WamigrateError(
                    .mapping, "unknown field '\(key)' in columns",
                    hint: "use one of: " + ContactField.allCases.map(\.rawValue).joined(separator: ", "),
                    at: .init(file: origin))
            }
            guard Channel.campaign.contains(profile.channel) else {
                throw WamigrateError(.mapping, "channel must be sms or viber", hint: "set channel: sms", at: .init(file: origin))
            }
            profile.defaultRegion = profile.defaultRegion?.uppercased()
            return profile
        } catch let error as WamigrateError {
            throw error
        } catch let error as DecodingError {
            throw WamigrateError(
                .mapping, "mapping profile does not parse: \(YAMLErrors.describe(error))",
                hint: "compare with the shipped profiles in mappings/",
                at: YAMLErrors.location(of: error, in: yaml, file: origin))
        } catch {
            throw WamigrateError(
                .mapping, "mapping profile is not valid YAML: \(error)",
                hint: "fix the YAML syntax", at: YAMLErrors.location(of: error, in: yaml, file: origin))
        }
    }
}
