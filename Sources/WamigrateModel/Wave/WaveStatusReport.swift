import Foundation

/// `wave status`: where a wave's messages are, and what the webhooks said of them.
public struct WaveStatusReport: Codable, Sendable {
    public var wave = ""
    public var template = ""
    public var language = ""
    public var category = ""
    public var tier: Int?
    public var byState: [String: Int] = [:]
    public var byDelivery: [String: Int] = [:]
    public var byError: [String: Int] = [:]
    public var excludedByReason: [String: Int] = [:]
    /// Days of the tier schedule that still hold planned messages.
    public var daysLeft = 0
    public var plannedCost = 0.0

    public init() {}
}

extension WaveStatusReport {
    /// The report of a wave as planned, before its messages are counted (`add`).
    public init(record: WaveRecord) {
        self.init()
        wave = record.name
        template = record.template
        language = record.language
        category = record.category
        tier = record.tier
    }

    /// Counts `count` messages of one tally row into the margins.
    public mutating func add(count: Int, state: String, delivery: String?, errorCode: String?, reason: String?) {
        byState[state, default: 0] += count
        if let delivery { byDelivery[delivery, default: 0] += count }
        if let errorCode { byError[errorCode, default: 0] += count }
        if state == MessageState.excluded.rawValue { excludedByReason[reason ?? "unknown", default: 0] += count }
    }
}
