import Foundation
import WamigrateBase
import Yams

/// Meta's per-message rates by market and template category
/// (`mappings/whatsapp/prices.yml`), with the date and source they state. Rates hold from
/// `effective_from`; each entry of `changes` replaces some markets' rates from its own date
/// (contracts §9.5: prices change by date), so a cost is taken at the date of the send.
public struct WhatsAppPrices: Codable, Sendable {
    public struct Rates: Codable, Sendable {
        public var marketing: Double
        public var utility: Double
        public var authentication: Double
    }

    /// Rates (and billing rules) that hold from a date on.
    public struct Change: Codable, Sendable {
        /// YYYY-MM-DD (UTC).
        public var from: String
        public var note: String?
        public var markets: [String: Rates]?
    }

    public static let categories = ["marketing", "utility", "authentication"]

    public var asOf: String
    public var source: String
    public var currency: String
    /// From when `markets` holds (YYYY-MM-DD); nil: as of `as_of`.
    public var effectiveFrom: String?
    public var markets: [String: Rates]
    public var changes: [Change]?

    enum CodingKeys: String, CodingKey {
        case source, currency, markets, changes
        case asOf = "as_of"
        case effectiveFrom = "effective_from"
    }

    /// How the report and plans name the table: its date and its dated changes.
    public var dated: String {
        let changes = (changes ?? []).map { "from \($0.from)" + ($0.note.map { ": \($0)" } ?? "") }
        return "rates from \(effectiveFrom ?? asOf)" + (changes.isEmpty ? "" : "; " + changes.joined(separator: "; "))
    }

    public static func load(path: String) throws -> WhatsAppPrices {
        guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WamigrateError(
                .inputMissing, "WhatsApp price table not found or not UTF-8",
                hint: "pass --prices with a table like mappings/whatsapp/prices.yml", at: .init(file: path))
        }
        do {
            return try BoundedYAML.decode(WhatsAppPrices.self, from: yaml)
        } catch {
            throw WamigrateError(
                .config, "WhatsApp price table does not parse: \(YAMLErrors.describe(error))",
                hint: "it needs as_of, source, currency and markets of REGION: {marketing, utility, authentication}",
                at: YAMLErrors.location(of: error, in: yaml, file: path))
        }
    }

    /// The rate on the day of `time` (Unix seconds; nil: the newest rates).
    func rate(_ market: String, _ category: String, at time: Int64? = nil) -> Double? {
        var rates = markets[market]
        let day = time.map { String(ISOTime.string($0).prefix(10)) }
        for change in (changes ?? []).sorted(by: { $0.from < $1.from }) where day.map({ change.from <= $0 }) ?? true {
            if let changed = change.markets?[market] { rates = changed }
        }
        guard let rates else { return nil }
        switch category {
        case "marketing": return rates.marketing
        case "utility": return rates.utility
        default: return rates.authentication
        }
    }
}
