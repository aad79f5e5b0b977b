import Foundation
import WamigrateBase
import Yams

/// Which time zones a number's send time must suit: one zone for most
/// countries (from the tz database's zone.tab), a zone from the number's prefix
/// where `mappings/campaign/timezones.yml` knows it, else every zone listed for
/// the country (the send time must suit them all).
public struct TimeZoneBook: Sendable {
    struct Entry: Codable, Sendable {
        var zones: [String]
        var prefixes: [String: String]?
    }

    /// Region → zones from zone.tab.
    var zoneTab: [String: [String]] = [:]
    var entries: [String: Entry] = [:]
    /// Prefixes of all entries, longest first.
    var prefixes: [(String, String)] = []
    /// For contacts with no known region (Viber-only users without a country).
    public var fallbackZone: String

    public init(timezonesFile: String?, zoneTabPath: String = "/usr/share/zoneinfo/zone.tab", fallbackZone: String) throws {
        self.fallbackZone = fallbackZone
        guard let tab = try? String(contentsOfFile: zoneTabPath, encoding: .utf8) else {
            throw WamigrateError(
                .inputMissing, "the tz database's zone.tab is missing",
                hint: "install Debian's tzdata package (scripts/install-deps.sh does)", at: .init(file: zoneTabPath))
        }
        for line in tab.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            if fields.count >= 3 { zoneTab[String(fields[0]), default: []].append(String(fields[2])) }
        }
        if let timezonesFile {
            guard let yaml = try? String(contentsOfFile: timezonesFile, encoding: .utf8) else {
                throw WamigrateError(
                    .inputMissing, "time zone file not found or not UTF-8", hint: "check the --timezones path",
                    at: .init(file: timezonesFile))
            }
            do {
                entries = try BoundedYAML.decode([String: Entry].self, from: yaml)
            } catch {
                throw WamigrateError(
                    .config, "time zone file does not parse: \(YAMLErrors.describe(error))",
                    hint: "each region needs zones: [...] and optionally prefixes: {digits: zone}",
                    at: YAMLErrors.location(of: error, in: yaml, file: timezonesFile))
            }
            for (region, entry) in entries {
                for zone in entry.zones + Array((entry.prefixes ?? [:]).values) where TimeZone(identifier: zone) == nil {
                    throw WamigrateError(
                        .config, "unknown time zone '\(zone)' for \(region)", hint: "use an IANA name such as Europe/Berlin",
                        at: .init(file: timezonesFile, line: YAMLErrors.line(ofText: zone, in: yaml)))
                }
            }
            prefixes = entries.values.flatMap { ($0.prefixes ?? [:]).map { ($0.key, $0.value) } }
                .sorted { $0.0.count != $1.0.count ? $0.0.count > $1.0.count : $0.0 < $1.0 }
        }
        guard TimeZone(identifier: fallbackZone) != nil else {
            throw WamigrateError(.usage, "unknown time zone '\(fallbackZone)'", hint: "use an IANA name such as Europe/Berlin")
        }
    }

    /// The zones for a contact: its number decides where it can, then its region.
    public func zones(region: String?, e164: String?) -> [String] {
        if let e164 {
            let digits = e164.dropFirst()
            if let hit = prefixes.first(where: { digits.hasPrefix($0.0) }) { return [hit.1] }
        }
        guard let region else { return [fallbackZone] }
        if let entry = entries[region] { return entry.zones }
        return zoneTab[region] ?? [fallbackZone]
    }
}
