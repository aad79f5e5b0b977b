import Foundation
import WamigrateBase
import Yams

/// Meta's per-message rates by market and template category
/// (`mappings/whatsapp/prices.yml`), with the date and source they state.
public struct WhatsAppPrices: Codable, Sendable {
    public struct Rates: Codable, Sendable {
        public var marketing: Double
        public var utility: Double
        public var authentication: Double
    }

    public static let categories = ["marketing", "utility", "authentication"]

    public var asOf: String
    public var source: String
    public var currency: String
    public var markets: [String: Rates]

    enum CodingKeys: String, CodingKey {
        case source, currency, markets
        case asOf = "as_of"
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

    func rate(_ market: String, _ category: String) -> Double? {
        guard let rates = markets[market] else { return nil }
        switch category {
        case "marketing": return rates.marketing
        case "utility": return rates.utility
        default: return rates.authentication
        }
    }
}
