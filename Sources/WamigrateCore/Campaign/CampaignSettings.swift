import Foundation
import WamigrateBase
import WamigrateModel

/// How a campaign is planned and sent; stored with the campaign so `send`
/// keeps to what `plan` promised.
public struct CampaignSettings: Codable, Sendable, Equatable {
    public struct Throttle: Codable, Sendable, Equatable {
        public var perSecond: Int
        public var perDay: Int?

        public init(perSecond: Int, perDay: Int?) {
            self.perSecond = perSecond
            self.perDay = perDay
        }
    }

    public var name: String
    public var channels = Channel.campaign
    public var hours = SendingHours()
    /// The earliest send time (Unix seconds).
    public var start: Int64
    /// Slots are looked for this many days after `start`.
    public var horizonDays = 90
    public var throttle: [Channel: Throttle] = [
        .sms: Throttle(perSecond: 10, perDay: 100_000), .viber: Throttle(perSecond: 20, perDay: 200_000),
    ]
    public var fallbackLanguage = "en"
    public var policy = ConsentPolicy()

    public init(name: String, start: Int64) {
        self.name = name
        self.start = start
    }

    /// Campaign names go into idempotency keys and evidence: keep them plain.
    public func validate() throws {
        guard !name.isEmpty, name.count <= 64,
            name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0) })
        else {
            throw WamigrateError(.usage, "campaign name '\(name)' is not plain", hint: "use letters, digits, _ - . (up to 64)")
        }
        for channel in channels where !Channel.campaign.contains(channel) {
            throw WamigrateError(.usage, "unknown channel '\(channel.rawValue)'", hint: "channels are sms and viber")
        }
        for (channel, limit) in throttle where limit.perSecond < 1 || (limit.perDay ?? 1) < 1 {
            throw WamigrateError(
                .usage, "the \(channel.rawValue) throttle must allow at least 1 per second and per day", hint: "raise it")
        }
        try policy.validate()
    }
}

extension CampaignStore {
    public func campaignSettings(_ name: String) throws -> CampaignSettings {
        let json = try campaignSettingsJSON(name)
        guard let settings = try? JSONDecoder().decode(CampaignSettings.self, from: Data(json.utf8)) else {
            throw WamigrateError.noCampaign(name)
        }
        return settings
    }
}
