import Foundation
import WamigrateBase
import WamigrateModel
import Yams

/// Per-region prices for the cost estimate (`mappings/campaign/prices.yml`):
/// SMS per segment, Viber per message.
public struct PriceTable: Codable, Sendable, Equatable {
    public var currency: String
    public var sms: [String: Double]
    public var viber: [String: Double]

    public init(currency: String = "USD", sms: [String: Double] = [:], viber: [String: Double] = [:]) {
        self.currency = currency
        self.sms = sms
        self.viber = viber
    }

    public static func load(path: String) throws -> PriceTable {
        guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WamigrateError(
                .inputMissing, "price table not found or not UTF-8", hint: "check the --prices path", at: .init(file: path))
        }
        do {
            return try BoundedYAML.decode(PriceTable.self, from: yaml)
        } catch {
            throw WamigrateError(
                .config, "price table does not parse: \(YAMLErrors.describe(error))",
                hint: "it needs currency, and sms and viber maps of region: price with a default",
                at: YAMLErrors.location(of: error, in: yaml, file: path))
        }
    }

    /// Cost of one message; nil when the table has neither the region nor a default.
    public func cost(channel: Channel, region: String?, segments: Int) -> Double? {
        let table = channel == .viber ? viber : sms
        guard let price = region.flatMap({ table[$0] }) ?? table["default"] else { return nil }
        return channel == .viber ? price : price * Double(segments)
    }
}
