import WamigrateBase

/// Which consent sources count for WhatsApp. Whether an SMS or Viber opt-in
/// carries over depends on local law; the tool records where each consent came
/// from and the job says which count. Entries are a method (`export`,
/// `campaign_reply`) or `method:channel` (`export:sms`).
public struct ConsentPolicy: Codable, Sendable, Equatable {
    public var whatsappSources: [String]

    /// Exports' opt-ins and replies to a re-consent campaign count: what import
    /// did before the ledger existed. Jobs that must not carry SMS opt-ins over
    /// set `whatsapp_sources: [campaign_reply]`.
    public static let defaultSources = ["export", "campaign_reply"]

    public init(whatsappSources: [String] = ConsentPolicy.defaultSources) {
        self.whatsappSources = whatsappSources
    }

    public enum CodingKeys: String, CodingKey {
        case whatsappSources = "whatsapp_sources"
    }

    public func validate() throws {
        let methods = Set(ConsentEvent.Method.allCases.map(\.rawValue))
        for entry in whatsappSources {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let channelOK = parts.count == 1 || (parts.count == 2 && Channel(rawValue: parts[1]) != nil)
            guard methods.contains(parts[0]), channelOK else {
                throw WamigrateError(
                    .config, "unknown consent source '\(entry)'",
                    hint: "use a method (\(methods.sorted().joined(separator: ", "))), optionally with :sms, :viber or :whatsapp")
            }
        }
    }

    /// SQL that is true for a consent_events row this policy counts (entries are validated words).
    public var sqlPredicate: String {
        guard !whatsappSources.isEmpty else { return "(1 = 0)" }
        let list = whatsappSources.map { "'\($0)'" }.joined(separator: ", ")
        return "(method IN (\(list)) OR source IN (\(list)))"
    }

    public func counts(_ event: ConsentEvent) -> Bool {
        whatsappSources.contains(event.method.rawValue) || whatsappSources.contains(event.source)
    }
}
