import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateStore

/// The wave send log as the send loop sees it: planned messages in order, capped by the
/// messaging limit (unique recipients per rolling 24 h); before each request it takes in what
/// the receiver spooled, so a STOP or a template stop reaches the next message. A lost answer
/// leaves the message `in_doubt` until its status webhook settles it (they echo its key in
/// `biz_opaque_callback_data`); it is planned again only when the settle window passed with no
/// status for it while statuses for later messages did arrive, or with `resendInDoubt`.
final class WaveLedger: SendLedger {
    let options: WaveSender.Options
    let store: JobStore
    let settings: WaveSettings
    let record: WaveRecord
    let spoolWatch: SpoolWatch
    var gateway: CloudAPIGateway
    var summary = WaveSender.Summary()
    var lastTakeIn = Date.distantPast
    /// The template's category as last reported: a marketing stop blocks MARKETING only.
    var category = ""
    /// Messages in doubt at some point of this run (left open before, or an answer lost now).
    var doubted = Set<Int64>()
    var allowance = Int.max
    var cursor: Int64 = 0
    var started = Date()
    let label = "wave send"
    let retryHint = "nothing was lost or sent twice: run the same command again later; lower --rate if this repeats"

    init(options: WaveSender.Options, store: JobStore) throws {
        self.options = options
        self.store = store
        settings = try store.waveSettings(options.wave)
        record = try store.wave(options.wave)
        spoolWatch = SpoolWatch(store: store.path)
        gateway = CloudAPIGateway(
            base: options.endpoint, version: options.apiVersion, phoneNumberID: options.phoneNumberID,
            token: options.token, http: HTTPClient(configuration: options.http), settings: settings, marketing: false,
            pacer: RatePacer(perSecond: options.rate), window: WindowLimiter(perSecond: options.rate))
        summary.wave = settings.name
    }

    /// The template as the webhooks last reported it: still approved, and its category now (a
    /// completed re-categorization changes the route, contracts §8.2); then the messaging limit.
    func begin() throws {
        let template = try checkTemplate(sentSoFar: 0)
        category = (template?.category ?? record.category).uppercased()
        gateway.marketing = options.marketingMessagesAPI && category == "MARKETING"
        summary.route = gateway.marketing ? "marketing_messages" : "messages"
        started = Date()
        var tier = settings.tier
        if settings.tierSource != "--tier", let limit = try store.platformLimit() {
            tier = limit.tier  // the platform's newest word, which may have changed since the plan
            summary.tierSource = limit.described
        } else {
            summary.tierSource = settings.tierSource ?? "--tier"
        }
        try store.recordWaveLimit(settings.name, tier: tier, source: summary.tierSource)
        if let tier {
            allowance = max(0, tier - (try store.waveRecipients(since: options.now() - 86_400)))
        }
    }

    func nextBatch() throws -> [WaveItem] {
        let batch = try store.plannedTemplates(settings.name, after: cursor, limit: 500)
        cursor = batch.last?.id ?? cursor
        return batch.map { WaveItem(message: $0, address: .number($0.e164)) }
    }

    func admit(_ item: WaveItem, sentSoFar: Int) throws -> Admission<WaveItem> {
        guard sentSoFar >= allowance else { return .send(via: gateway) }
        summary.waitingLimit = try store.waveStatus(settings.name).byState[MessageState.planned.rawValue] ?? 0
        let oldest = try store.oldestWaveSend(since: options.now() - 86_400)
        summary.nextSlot = oldest.map { ISOTime.string($0 + 86_400) }
        return .stop
    }

    /// Takes in what the receiver spooled since the last look; then the ledger (opted out, or
    /// consent that no longer counts) and the address (`WaveAddressing`) may hold the message.
    func ready(_ item: WaveItem) throws -> WaveItem? {
        if Date().timeIntervalSince(lastTakeIn) >= options.webhookInterval, try spoolWatch.hasNew() {
            let updates = summary.webhooks.templateUpdates
            try takeInWebhooks()
            // PAUSED, DISABLED or quality RED since the last message: stop before the next one.
            if summary.webhooks.templateUpdates > updates { _ = try checkTemplate(sentSoFar: summary.sent) }
        }
        let e164 = item.message.e164
        let tally = try store.consentTally(addresses: item.message.addresses, policy: settings.policy)
        let state = tally.state(forCategory: category)
        if state == .optedOut || tally.whatsappState(forCategory: category) != .optedIn {
            return try suppress(item, reason: state == .optedOut ? "opted_out" : "consent_not_counted")
        }
        switch WaveAddressing.decide(e164: e164, move: try store.numberMove(from: e164), category: category) {
        case .send(let address): return WaveItem(message: item.message, address: address)
        case .hold(let reason): return try suppress(item, reason: reason)
        }
    }

    private func suppress(_ item: WaveItem, reason: String) throws -> WaveItem? {
        try store.markTemplateOutcome(item.message.id, state: .suppressed, reason: reason, at: options.now())
        summary.suppressed[reason, default: 0] += 1
        return nil
    }

    func markSending(_ item: WaveItem) throws -> Bool {
        try store.markTemplateSending(item.message.id, at: options.now())
    }

    func markSent(_ item: WaveItem, providerID: String) throws {
        try store.markTemplateOutcome(item.message.id, state: .sent, wamid: providerID, at: options.now())
        summary.sent += 1
        if case .user = item.address { summary.sentToUserID += 1 }
    }

    func markRefused(_ item: WaveItem, code: String, reason: String, optOut: ConsentEvent?) throws {
        try store.markTemplateOutcome(item.message.id, state: .failed, errorCode: code, reason: reason, at: options.now())
        summary.refused[reason, default: 0] += 1
        if let optOut { try store.appendConsent([optOut]) }
    }

    func markPlanned(_ item: WaveItem, reason: String?) throws {
        try store.markTemplateOutcome(item.message.id, state: .planned, reason: reason, at: options.now())
    }

    func retrying(_ item: WaveItem) { summary.retries += 1 }

    func markRetry(_ item: WaveItem) throws { try store.markTemplateRetry(item.message.id, at: options.now()) }

    func answerLost(_ item: WaveItem) throws {
        let now = options.now()
        try store.markTemplateRetry(item.message.id, at: now)  // the settle window starts when the answer was lost
        try store.markTemplateOutcome(item.message.id, state: .inDoubt, reason: "no_answer", at: now)
        summary.answersLost += 1
        doubted.insert(item.message.id)
    }

    func end() throws {
        try settleOpen()
        summary.recoveredSent = try store.settledByWebhook(doubted)
        summary.inDoubt = try store.waveCount(settings.name, state: .inDoubt)
        summary.seconds = Date().timeIntervalSince(started)
        summary.perSecond = summary.seconds > 0 ? Double(summary.sent) / summary.seconds : 0
    }
}
