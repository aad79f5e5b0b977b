import Foundation
import Phone

/// Turns a country cell into an ISO 3166 alpha-2 region libphonenumber knows:
/// an alpha-2 code, an alias or alpha-3 code from `mappings/countries.yml`, or a
/// country name in one of several languages (names from ICU through Foundation).
public final class CountryResolver: @unchecked Sendable {
    private var table: [String: String] = [:]
    private let lock = NSLock()
    private var memo: [String: String?] = [:]

    public init(aliases: [String: String] = [:]) {
        let regions = Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 && PhoneMetadata.isSupportedRegion($0) }
        for language in ["en", "de", "fr", "es", "pt", "it", "nl", "pl", "ru", "uk", "tr"] {
            let locale = Locale(identifier: language)
            for region in regions {
                if let name = locale.localizedString(forRegionCode: region) { table[Self.key(name)] = region }
            }
        }
        for (alias, region) in aliases { table[Self.key(alias)] = region.uppercased() }
    }

    static func key(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .unicodeScalars.filter { $0.properties.isAlphabetic }.map(String.init).joined()
    }

    /// nil when the cell is empty or names no known region.
    public func region(for raw: String) -> String? {
        let trimmed = raw.trimmedASCII
        if trimmed.isEmpty { return nil }
        if trimmed.count == 2, trimmed.allSatisfy(\.isLetter) {
            let code = trimmed.uppercased()
            if code == "UK" { return "GB" }
            return PhoneMetadata.isSupportedRegion(code) ? code : nil
        }
        lock.lock()
        defer { lock.unlock() }
        if let known = memo[trimmed] { return known }
        let found = table[Self.key(trimmed)]
        memo[trimmed] = found
        return found
    }
}
