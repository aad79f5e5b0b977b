import Foundation
import Phone
import WamigrateBase
import WamigrateModel
import Yams

/// One input export and how to read it.
public struct SourceSpec: Codable, Sendable, Equatable {
    public var path: String
    /// Profile name (`twilio`), a YAML path, or `auto`.
    public var mapping: String?
    /// Shown in outputs (`sources` column); defaults to the file name without extension.
    public var name: String?
    public var defaultRegion: String?
    /// Survivorship tie-breaker after recency; defaults to the profile's, then 0.
    public var priority: Int?
    /// Overrides the profile's `phone_format` (international | national | mixed).
    public var phoneFormat: PhoneFormat?

    public init(
        path: String, mapping: String? = nil, name: String? = nil, defaultRegion: String? = nil, priority: Int? = nil,
        phoneFormat: PhoneFormat? = nil
    ) {
        self.path = path
        self.mapping = mapping
        self.name = name
        self.defaultRegion = defaultRegion
        self.priority = priority
        self.phoneFormat = phoneFormat
    }

    enum CodingKeys: String, CodingKey {
        case path, mapping, name, priority
        case defaultRegion = "default_region"
        case phoneFormat = "phone_format"
    }
}

/// A job's configuration: a YAML file (`--config job.yml`) that command-line flags
/// override. Documented in the README.
public struct JobConfig: Codable, Sendable, Equatable {
    /// Region for numbers without + when neither the row nor the source says.
    public var defaultRegion: String?
    public var mappingsDir: String?
    public var sources: [SourceSpec]
    public var verify: VerifySettings
    /// Which consent sources count for WhatsApp (import, campaign plan).
    public var consent: ConsentPolicy

    public init(
        defaultRegion: String? = nil, mappingsDir: String? = nil, sources: [SourceSpec] = [],
        verify: VerifySettings = VerifySettings(), consent: ConsentPolicy = ConsentPolicy()
    ) {
        self.defaultRegion = defaultRegion
        self.mappingsDir = mappingsDir
        self.sources = sources
        self.verify = verify
        self.consent = consent
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        defaultRegion = try c.decodeIfPresent(String.self, forKey: .defaultRegion)
        mappingsDir = try c.decodeIfPresent(String.self, forKey: .mappingsDir)
        sources = try c.decodeIfPresent([SourceSpec].self, forKey: .sources) ?? []
        verify = try c.decodeIfPresent(VerifySettings.self, forKey: .verify) ?? VerifySettings()
        consent = try c.decodeIfPresent(ConsentPolicy.self, forKey: .consent) ?? ConsentPolicy()
    }

    enum CodingKeys: String, CodingKey {
        case sources, verify, consent
        case defaultRegion = "default_region"
        case mappingsDir = "mappings_dir"
    }

    public static func load(path: String) throws -> JobConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WamigrateError(
                .config, "job config not found or not UTF-8", hint: "check the --config path", at: .init(file: path))
        }
        do {
            var config = try BoundedYAML.decode(JobConfig.self, from: text)
            // Source paths in a config file are relative to the file.
            let base = URL(fileURLWithPath: path).deletingLastPathComponent()
            for index in config.sources.indices where !config.sources[index].path.hasPrefix("/") {
                config.sources[index].path = base.appendingPathComponent(config.sources[index].path).path
            }
            config.verify.reports = config.verify.reports.map {
                $0.hasPrefix("/") ? $0 : base.appendingPathComponent($0).path
            }
            return config
        } catch {
            throw WamigrateError(
                .config, "job config does not parse: \(YAMLErrors.describe(error))", hint: "see the README's job config example",
                at: YAMLErrors.location(of: error, in: text, file: path))
        }
    }

    /// Checks what can be checked before touching the store.
    /// Every region libphonenumber has metadata for (for shell completion).
    public static let knownRegions: [String] = {
        let letters = (65...90).map { String(UnicodeScalar(UInt8($0))) }
        return letters.flatMap { a in letters.map { a + $0 } }.filter { Phone.PhoneMetadata.isSupportedRegion($0) }
    }()

    /// A region libphonenumber has metadata for (ISO 3166 alpha-2, any case).
    public static func isKnownRegion(_ region: String) -> Bool {
        Phone.PhoneMetadata.isSupportedRegion(region.uppercased())
    }

    public func validate() throws {
        try consent.validate()
        for region in [defaultRegion] + sources.map(\.defaultRegion) {
            if let region, !Phone.PhoneMetadata.isSupportedRegion(region.uppercased()) {
                throw WamigrateError(
                    .config, "unknown region '\(region)'", hint: "use an ISO 3166 alpha-2 code such as DE, GB, BR")
            }
        }
    }

    var json: String {
        String(decoding: (try? JSONEncoder.sorted.encode(self)) ?? Data(), as: UTF8.self)
    }
}

/// What `wamigrate --version` prints: the tool, the commit it was built from, and the
/// libphonenumber build and metadata whose answers it gives (the run manifest records the same).
public enum VersionText {
    public static var text: String {
        "wamigrate \(ToolVersion.current) (git \(ToolVersion.revision)); libphonenumber \(Phone.PhoneMetadata.libraryFile), numbering plans \(Phone.PhoneMetadata.inForce)"
    }
}
