import Foundation
import Testing

@testable import WamigrateCore

/// Rates change by date (contracts §9.5): a message is priced at the rates of the day it is sent.
@Suite("WhatsApp price table with effective dates")
struct PriceTableTests {
    static let yaml = """
        as_of: "2026-11-01"
        source: "test"
        currency: USD
        effective_from: "2025-07-01"
        markets:
          DE: {marketing: 0.10, utility: 0.05, authentication: 0.05}
          IN: {marketing: 0.01, utility: 0.002, authentication: 0.002}
        changes:
          - from: "2026-10-01"
            note: "utility in the service window billed"
            markets:
              DE: {marketing: 0.12, utility: 0.06, authentication: 0.05}
        """

    @Test func aMessageIsPricedAtTheRatesOfItsSendDay() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prices-\(UUID().uuidString).yml")
        try Self.yaml.write(to: folder, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let prices = try WhatsAppPrices.load(path: folder.path)
        let september30: Int64 = 1_790_726_400  // 2026-09-30T00:00:00Z
        let october1 = september30 + 86_400
        #expect(prices.rate("DE", "marketing", at: september30) == 0.10)
        #expect(prices.rate("DE", "marketing", at: october1) == 0.12)
        #expect(prices.rate("DE", "utility", at: october1 + 3_600) == 0.06)
        #expect(prices.rate("IN", "marketing", at: october1) == 0.01, "a market the change does not list keeps its rate")
        #expect(prices.rate("DE", "marketing") == 0.12, "without a date: the newest rates")
        #expect(prices.dated == "rates from 2025-07-01; from 2026-10-01: utility in the service window billed")
    }
}
