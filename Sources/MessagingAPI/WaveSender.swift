import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateStore

/// wave send: sends a planned wave's template through the Cloud API, one message per
/// person, capped per second and by the messaging limit (unique recipients per rolling
/// 24 h). Right before each request it takes in whatever the receiver spooled since it
/// last looked and checks the consent ledger, so a STOP the receiver accepted stops
/// the next message to that person. Each message is marked `sending` before its request
/// and settled after. A request that went out and got no answer, or a 5xx that does not
/// say it was refused, may have been delivered: the message is `in_doubt` and settled by
/// its status webhook (they echo its key in `biz_opaque_callback_data`); it is sent again
/// only when the settle window passed with no status for it while statuses for later
/// messages did arrive (so they reach the job), or with `resendInDoubt` after a person
/// checked. Nothing is sent twice.
public final class WaveSender {
    public struct Options: Sendable {
        public var wave: String
        /// Base URL (`https://graph.facebook.com`, or the sandbox's).
        public var endpoint: String
        public var apiVersion = "v23.0"
        public var phoneNumberID: String
        public var token: String
        /// Messages per second for this number (Cloud API default 80).
        public var rate = 80.0
        /// MARKETING templates go to `/marketing_messages` (the MM API is set up for this number).
        public var marketingMessagesAPI = false
        public var resendInDoubt = false
        /// Stop after this many messages.
        public var limit: Int?
        /// Seconds an in-doubt message waits for its status webhook before it may be sent again.
        public var settleSeconds = 600.0
        /// Take in newly spooled webhooks at most this often (seconds); well under the 1 s a STOP may take.
        public var webhookInterval = 0.2
        public var keywords: KeywordBook
        public var http = HTTPClient.Configuration()
        public var retry = RetryPolicy(maxAttempts: 6, baseDelay: 0.5, maxDelay: 30)
        public var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

        public init(wave: String, endpoint: String, phoneNumberID: String, token: String, keywords: KeywordBook) {
            self.wave = wave
            self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
            self.phoneNumberID = phoneNumberID
            self.token = token
            self.keywords = keywords
        }
    }

    public struct Summary: Codable, Sendable {
        public var wave = ""
        /// messages | marketing_messages
        public var route = ""
        public var sent = 0
        /// Not sent to these people, by reason (marketing_limit 131049, undeliverable 131026, …).
        public var refused: [String: Int] = [:]
        /// Not sent: the ledger says the person opted out (or their consent no longer counts) since the plan.
        public var suppressed: [String: Int] = [:]
        /// Planned, but today's messaging limit is used up; when the next recipient fits.
        public var waitingLimit = 0
        /// Where the messaging limit used came from (`--tier`, or the platform's announcement).
        public var tierSource = ""
        public var nextSlot: String?
        /// Requests that went out without an answer that settles them (no answer, or a 5xx that does not say refused).
        public var answersLost = 0
        /// In-doubt messages (this run's or a crashed run's) settled as sent by their status webhook.
        public var recoveredSent = 0
        /// In-doubt messages planned again: the settle window passed without a status, or --resend-in-doubt.
        public var recoveredPlanned = 0
        /// Still in doubt when the run ended: waiting for a status webhook or the settle window.
        public var inDoubt = 0
        public var retries = 0
        /// Sent to the person's BSUID (`recipient`): the platform said they moved off the contact's number.
        public var sentToUserID = 0
        public var webhooks = WebhookSummary()
        public var seconds = 0.0
        public var perSecond = 0.0
    }

    let options: Options
    let store: JobStore
    let logger: Logger
    let gateway: CloudAPIGateway
    let spoolWatch: SpoolWatch
    var summary = Summary()
    var lastTakeIn = Date.distantPast
    /// The template's category as last reported: a marketing stop blocks MARKETING only.
    var category = ""
    /// Messages in doubt at some point of this run (left open before, or an answer lost now).
    var doubted = Set<Int64>()

    public init(options: Options, store: JobStore, logger: Logger) {
        self.options = options
        self.store = store
        self.logger = logger
        gateway = CloudAPIGateway(
            base: options.endpoint, version: options.apiVersion, phoneNumberID: options.phoneNumberID,
            token: options.token, http: HTTPClient(configuration: options.http))
        spoolWatch = SpoolWatch(store: store.path)
    }

    public func send() throws -> Summary {
        let settings = try store.waveSettings(options.wave)
        let record = try store.wave(options.wave)
        summary.wave = settings.name
        // What a crashed run left open; the webhooks taken in next may settle it.
        try settleOpen()
        // The template as the webhooks last reported it: still approved, and its category now
        // (a completed re-categorization changes the route, contracts §8.2).
        let template = try checkTemplate(settings, sentSoFar: 0)
        category = (template?.category ?? record.category).uppercased()
        let marketing = options.marketingMessagesAPI && category == "MARKETING"
        summary.route = marketing ? "marketing_messages" : "messages"
        let pacer = RatePacer(perSecond: options.rate)
        let window = WindowLimiter(perSecond: options.rate)
        let started = Date()
        var allowance = Int.max
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
        var cursor: Int64 = 0
        var total = 0
        batches: while true {
            let batch = try store.plannedTemplates(settings.name, after: cursor, limit: 500)
            if batch.isEmpty { break }
            for message in batch {
                if let limit = options.limit, total >= limit { break batches }
                if total >= allowance {
                    summary.waitingLimit = try store.waveStatus(settings.name).byState[MessageState.planned.rawValue] ?? 0
                    let oldest = try store.oldestWaveSend(since: options.now() - 86_400)
                    summary.nextSlot = oldest.map { ISOTime.string($0 + 86_400) }
                    break batches
                }
                cursor = message.id
                pacer.acquire(cost: 1)
                guard try mayStillSend(message, settings: settings) else { continue }
                let address: CloudAddress
                switch WaveAddressing.decide(
                    e164: message.e164, move: try store.numberMove(from: message.e164), category: category)
                {
                case .send(let to): address = to
                case .hold(let reason):
                    try store.markTemplateOutcome(message.id, state: .suppressed, reason: reason, at: options.now())
                    summary.suppressed[reason, default: 0] += 1
                    continue
                }
                guard try store.markTemplateSending(message.id, at: options.now()) else { continue }
                try deliver(message, to: address, settings: settings, marketing: marketing, pacer: pacer, window: window)
                total += 1
            }
        }
        try settleOpen()
        summary.recoveredSent = try store.settledByWebhook(doubted)
        summary.inDoubt = try store.waveCount(settings.name, state: .inDoubt)
        summary.seconds = Date().timeIntervalSince(started)
        summary.perSecond = summary.seconds > 0 ? Double(summary.sent) / summary.seconds : 0
        return summary
    }

    /// Takes in what the receiver spooled since the last look, then checks the ledger: false
    /// (and the message suppressed) when the person opted out or their consent no longer counts.
    private func mayStillSend(_ message: OutboundTemplate, settings: WaveSettings) throws -> Bool {
        if Date().timeIntervalSince(lastTakeIn) >= options.webhookInterval, try spoolWatch.hasNew() {
            let updates = summary.webhooks.templateUpdates
            try takeInWebhooks()
            if summary.webhooks.templateUpdates > updates {
                // PAUSED, DISABLED or quality RED since the last message: stop before the next one.
                do {
                    _ = try checkTemplate(settings, sentSoFar: summary.sent)
                } catch {
                    if try store.waveMessageStates([message.id])[message.id] == .sending {
                        try store.markTemplateOutcome(message.id, state: .planned, reason: nil, at: options.now())
                    }
                    throw error
                }
            }
        }
        let tally = try store.consentTally(addresses: message.addresses, policy: settings.policy)
        let state = tally.state(forCategory: category)
        guard state == .optedOut || tally.whatsappState(forCategory: category) != .optedIn else { return true }
        let reason = state == .optedOut ? "opted_out" : "consent_not_counted"
        try store.markTemplateOutcome(message.id, state: .suppressed, reason: reason, at: options.now())
        summary.suppressed[reason, default: 0] += 1
        return false
    }

    private func deliver(
        _ message: OutboundTemplate, to address: CloudAddress, settings: WaveSettings, marketing: Bool,
        pacer: RatePacer, window: WindowLimiter
    ) throws {
        let values = zip(settings.parameters, message.parameters).map { (variable: $0.variable, value: $1) }
        let payload = CloudAPIGateway.payload(
            to: address, template: settings.template, language: settings.language, parameters: values,
            callback: message.idempotencyKey)
        var attempt = 1
        while true {
            window.acquire()
            let answer = gateway.send(payload, marketing: marketing)
            window.answered()
            let now = options.now()
            switch answer {
            case .accepted(let wamid):
                try store.markTemplateOutcome(message.id, state: .sent, wamid: wamid, at: now)
                summary.sent += 1
                if case .user = address { summary.sentToUserID += 1 }
                return
            case let .refused(code, reason):
                try store.markTemplateOutcome(message.id, state: .failed, errorCode: String(code), reason: reason, at: now)
                summary.refused[reason, default: 0] += 1
                if code == 131050 {
                    // The platform's word that this person stopped marketing: the ledger keeps it (MARKETING only).
                    var stop = ConsentEvent(
                        address: message.e164, contactID: message.contactID, channel: "whatsapp", kind: .optOut, at: now,
                        recordedAt: now, method: .whatsappMarketingRefused, ref: "131050:\(message.idempotencyKey)")
                    stop.evidence = "Cloud API error 131050 for wave message \(message.idempotencyKey)"
                    try store.appendConsent([stop])
                }
                return
            case let .retry(after, why):
                guard attempt < options.retry.maxAttempts else {
                    try store.markTemplateOutcome(message.id, state: .planned, reason: "retries_exhausted", at: now)
                    throw WamigrateError(
                        .remote, "the Cloud API kept refusing for now (\(why)) after \(attempt) attempts",
                        hint: "nothing was lost or sent twice: run the same command again later; lower --rate if this repeats")
                }
                let wait = options.retry.delay(after: attempt, retryAfter: after)
                logger.warning("wave send: \(why); retrying in \(String(format: "%.2f", wait)) s")
                summary.retries += 1
                pacer.holdOff(seconds: wait)
                pacer.acquire(cost: 1)
                attempt += 1
                // An opt-out may have come in while this message waited.
                guard try mayStillSend(message, settings: settings) else { return }
                try store.markTemplateRetry(message.id, at: options.now())
            case let .stop(code, why):
                try store.markTemplateOutcome(message.id, state: .planned, reason: nil, at: now)
                throw WamigrateError(
                    code == 190 || why.contains("token") ? .auth : .remote, "wave \(settings.name) stopped: \(why)",
                    hint: Self.hint(code))
            case .unknown(let why):
                logger.warning("wave send: \(why); in doubt until its status webhook settles it")
                try store.markTemplateRetry(message.id, at: now)  // the settle window starts when the answer was lost
                try store.markTemplateOutcome(message.id, state: .inDoubt, reason: "no_answer", at: now)
                summary.answersLost += 1
                doubted.insert(message.id)
                return
            }
        }
    }

    /// The template as the webhooks last reported it: APPROVED and not of RED quality, or the wave stops.
    private func checkTemplate(_ settings: WaveSettings, sentSoFar: Int) throws -> TemplateRecord? {
        let template = try store.templateRecord(name: settings.template, language: settings.language)
        let status = template?.status?.uppercased()
        let red = template?.quality == "RED"
        guard status == nil || status == "APPROVED", !red else {
            let what = red ? "of RED quality" : "\(status ?? "")"
            throw WamigrateError(
                .stageOrder,
                "template \(settings.template) (\(settings.language)) is \(what) now; "
                    + (sentSoFar == 0
                        ? "nothing was sent" : "the wave stopped after \(sentSoFar) messages, the rest stay planned"),
                hint: red
                    ? "improve the template (or send another), then run send again"
                    : "wait until it is APPROVED again (a status webhook records it), then run send again")
        }
        return template
    }

    /// What the receiver spooled and the inbox holds unprocessed: opt-outs, statuses, template updates.
    private func takeInWebhooks() throws {
        let mark = try spoolWatch.highWater()
        summary.webhooks.add(try WebhookIngest(keywords: options.keywords, now: options.now()).process(store: store))
        spoolWatch.markSeen(mark)
        lastTakeIn = Date()
    }

    static func hint(_ code: Int) -> String {
        switch code {
        case 132000...132999:
            "fix the template or its parameters (re-submit, wait for APPROVED), then run send again; nothing else was sent"
        case 368, 131031: "the WhatsApp Business Account is restricted: resolve it in Business Manager, then run send again"
        case 4, 80007, 131048: "wait for the limit to reset (the messaging limit is per rolling 24 h), then run send again"
        default: "check --token-env; nothing was sent with the refused token"
        }
    }

    /// Settles what a crashed run left in `sending`, and `in_doubt` messages: sent when a
    /// status webhook names the message's key (taking in webhooks may have done it);
    /// planned again with `resendInDoubt`, or when the settle window passed with no status
    /// for it while statuses for messages sent later did arrive; otherwise in doubt.
    private func settleOpen() throws {
        let open =
            try store.waveMessages(options.wave, state: .sending) + store.waveMessages(options.wave, state: .inDoubt)
        doubted.formUnion(open.map(\.id))
        try takeInWebhooks()
        let states = try store.waveMessageStates(open.map(\.id))
        let now = options.now()
        for message in open where states[message.id] != .sent {  // a status webhook just taken in settled those
            if let wamid = try store.wamid(callback: message.idempotencyKey) {
                try store.markTemplateOutcome(message.id, state: .sent, wamid: wamid, reason: "settled_by_webhook", at: now)
                continue
            }
            let sentAt = message.sendingAt ?? 0
            // Whole seconds on both sides: strictly more than the window means at least the window passed.
            let windowPassed =
                try Double(now - sentAt) > options.settleSeconds
                && store.statusArrived(wave: options.wave, sentFrom: sentAt, other: message.id)
            if options.resendInDoubt || windowPassed {
                let reason = options.resendInDoubt ? "resend_in_doubt" : "no_status_in_settle_window"
                try store.markTemplateOutcome(message.id, state: .planned, reason: reason, at: now)
                summary.recoveredPlanned += 1
            } else if message.state == .sending {
                try store.markTemplateOutcome(message.id, state: .inDoubt, reason: "no_answer", at: now)
            }
        }
    }
}
