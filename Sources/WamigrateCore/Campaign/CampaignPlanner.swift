import Crypto
import Foundation
import Logging
import WamigrateBase
import WamigrateModel

/// What a plan holds, for review before anything is sent.
public struct PlanSummary: Codable, Sendable {
    public var campaign = ""
    public var dryRun = false
    /// The import's reconsent list (the audience before exclusions).
    public var audience = 0
    public var planned = 0
    /// Not planned, by reason: opted_out, already_consented, channel_not_selected, no_text, no_slot.
    public var excluded: [String: Int] = [:]
    public var byChannel: [String: Int] = [:]
    public var byLanguage: [String: Int] = [:]
    public var byCountry: [String: Int] = [:]
    /// Planned messages per UTC day of their slot (yyyy-MM-dd).
    public var byDay: [String: Int] = [:]
    public var cost: [String: Double] = [:]
    public var currency = ""
    /// Messages with no price (no region price and no default).
    public var unpriced = 0
    public var firstSlot: String?
    public var lastSlot: String?
    public var hours = ""
}

/// campaign plan: the import's reconsent list, minus everyone the consent
/// ledger says opted out (on any channel, the gateway's unsubscribes included)
/// or already consented, each with a channel, a text in their language and a
/// send slot inside their local sending hours, throttled per channel. Stored
/// in one transaction; `dryRun` computes the same and stores nothing.
public struct CampaignPlanner {
    public var settings: CampaignSettings
    public var messages: [ReconsentMessage]
    public var zones: TimeZoneBook
    public var prices: PriceTable
    public var logger: Logger

    public init(
        settings: CampaignSettings, messages: [ReconsentMessage], zones: TimeZoneBook, prices: PriceTable, logger: Logger
    ) {
        self.settings = settings
        self.messages = messages
        self.zones = zones
        self.prices = prices
        self.logger = logger
    }

    /// A text as planned: which file and version, and its SMS segments.
    struct Text {
        var id: Int64
        var message: ReconsentMessage
        var channel: Channel
        var body: String
        var segments: Int
    }

    public func plan(store: any CampaignStore & PipelineStore, dryRun: Bool) throws -> PlanSummary {
        try settings.validate()
        let byLanguage = try languages()
        guard store.hasImported() else {
            throw WamigrateError(
                .stageOrder, "campaign plan needs import to have run", hint: "run `wamigrate import` (or `run`) first")
        }
        if !dryRun, try store.listsFromDryRun() {
            throw WamigrateError(
                .stageOrder, "the lists in the store come from a dry run, whose WhatsApp checks were not made",
                hint: "run `wamigrate run` (without --dry-run) or `wamigrate import` first; `campaign plan --dry-run` works as is"
            )
        }
        var summary = PlanSummary()
        summary.campaign = settings.name
        summary.dryRun = dryRun
        summary.currency = prices.currency
        summary.hours = settings.hours.description
        let windows = SendingWindows(hours: settings.hours, from: settings.start, days: settings.horizonDays)
        var schedulers = settings.throttle.mapValues { SlotScheduler(perSecond: $0.perSecond, perDay: $0.perDay) }
        let regionLanguage = Dictionary(
            messages.flatMap { m in (m.regions ?? []).map { ($0.uppercased(), m.language) } }, uniquingKeysWith: { a, _ in a })
        try store.replaceCampaignPlan(settings.name, policy: settings.policy, dryRun: dryRun) { tables in
            let texts = try storeTexts(tables, byLanguage: byLanguage)
            try tables.forEachAudienceMember { member in
                summary.audience += 1
                let contactID = member.contactID
                let e164 = member.e164
                let viberID = member.viberID
                let region = member.region
                let tally = member.tally
                let listReason = member.listReason
                var channel = member.channel
                if channel == .sms, !settings.channels.contains(.sms), viberID != nil { channel = .viber }
                let address = channel == .viber ? viberID : e164
                var reason: MessageReason?
                var slot: Int64?
                var text: Text?
                let zoneList = zones.zones(region: region, e164: e164)
                if tally.state == .optedOut {
                    reason = .optedOut
                } else if tally.whatsappState == .optedIn, listReason?.consentOnly == true {
                    // Consented (a YES since import ran); people listed for an unknown WhatsApp
                    // status or with no number still get the message and its wa.me link.
                    reason = .alreadyConsented
                } else if !settings.channels.contains(channel) || address == nil {
                    reason = .channelNotSelected
                } else {
                    let language =
                        LanguageTag.primary(member.language).flatMap { texts[$0]?[channel] != nil ? $0 : nil }
                        ?? region.flatMap { regionLanguage[$0] } ?? settings.fallbackLanguage
                    text = texts[language]?[channel] ?? texts[settings.fallbackLanguage]?[channel]
                    if text == nil {
                        reason = .noText
                    } else {
                        slot = schedulers[channel]?.take(earliest: settings.start) {
                            windows.window(zones: zoneList, atOrAfter: $0)
                        }
                        if slot == nil { reason = .noSlot }
                    }
                }
                let cost = text.flatMap { prices.cost(channel: channel, region: region, segments: $0.segments) }
                if let reason {
                    summary.excluded[reason.rawValue, default: 0] += 1
                } else if let text, let slot {
                    summary.planned += 1
                    summary.byChannel[channel.rawValue, default: 0] += 1
                    summary.byLanguage[text.message.language, default: 0] += 1
                    summary.byCountry[region ?? "unknown", default: 0] += 1
                    summary.byDay[String(ISOTime.string(slot).prefix(10)), default: 0] += 1
                    if let cost { summary.cost[channel.rawValue, default: 0] += cost } else { summary.unpriced += 1 }
                    let iso = ISOTime.string(slot)
                    if summary.firstSlot.map({ iso < $0 }) ?? true { summary.firstSlot = iso }
                    if summary.lastSlot.map({ iso > $0 }) ?? true { summary.lastSlot = iso }
                }
                if dryRun { return }
                try tables.addMessage(
                    contactID: contactID, channel: channel, address: address, region: region,
                    zones: zoneList.joined(separator: "|"), textID: text?.id, sendAt: slot, cost: reason == nil ? cost : nil,
                    reason: reason, idempotencyKey: Self.idempotencyKey(campaign: settings.name, contact: contactID))
            }
            if dryRun { return }
            try tables.saveSettings(json: String(decoding: try JSONEncoder.sorted.encode(settings), as: UTF8.self))
        }
        logger.info("campaign \(settings.name): \(summary.planned) planned, \(summary.excluded) not planned")
        return summary
    }

    /// Language → message; the fallback language must have a file.
    private func languages() throws -> [String: ReconsentMessage] {
        var byLanguage: [String: ReconsentMessage] = [:]
        for message in messages {
            if let other = byLanguage[message.language] {
                throw WamigrateError(
                    .config, "two message files for language \(message.language): \(other.file) and \(message.file)",
                    hint: "keep one file per language", at: .init(file: message.file))
            }
            byLanguage[message.language] = message
        }
        guard byLanguage[settings.fallbackLanguage] != nil else {
            throw WamigrateError(
                .config, "no message file for the fallback language '\(settings.fallbackLanguage)'",
                hint: "add mappings/reconsent/\(settings.fallbackLanguage).yml or pass --fallback-language with one of: "
                    + byLanguage.keys.sorted().joined(separator: ", "))
        }
        return byLanguage
    }

    /// Stores each language's text per channel; returns language → channel → text.
    private func storeTexts(_ tables: CampaignPlanTables, byLanguage: [String: ReconsentMessage]) throws
        -> [String: [Channel: Text]]
    {
        var texts: [String: [Channel: Text]] = [:]
        for (language, message) in byLanguage.sorted(by: { $0.key < $1.key }) {
            for channel in Channel.campaign {
                guard let body = message.text(for: channel) else { continue }
                let segments = channel == .sms ? SMSSegments.count(body) : 1
                let link = channel == .viber && message.viberButton != nil ? message.waLink : nil
                let id = try tables.addText(
                    channel: channel, language: language, version: message.version, file: message.file, text: body,
                    link: link, button: link == nil ? nil : message.viberButton, business: message.business,
                    segments: segments)
                texts[language, default: [:]][channel] = Text(
                    id: id, message: message, channel: channel, body: body, segments: segments)
            }
        }
        return texts
    }

    /// Stable per campaign and contact: the same message can never get two keys.
    public static func idempotencyKey(campaign: String, contact: String) -> String {
        "wm-" + Hex.string(SHA256.hash(data: Data("\(campaign)|\(contact)".utf8))).prefix(24)
    }
}

extension PipelineStore {
    /// True when import has run since the last dedupe.
    public func hasImported() -> Bool { (try? completedFingerprint(.import)) != nil }
}
