import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateStore

/// wave send: sends a planned wave's template through the Cloud API, one message per
/// person, capped per second and by the messaging limit (unique recipients per rolling
/// 24 h), checking the consent ledger just before each message after taking in every
/// webhook received so far. Each message is marked `sending` before its request and
/// settled after; a crash leaves `sending`, which the next run settles from the status
/// webhooks (they echo the message's key in `biz_opaque_callback_data`): found, it was
/// sent; not found, it is `in_doubt` and reported, and only sent again with
/// `resendInDoubt`, after a person checked. Nothing is sent twice.
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
        /// Take in received webhooks every this many messages (and before the first).
        public var webhookEvery = 200
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
        public var nextSlot: String?
        /// Left by a crashed run: settled by a status webhook (sent), or put back (with --resend-in-doubt).
        public var recoveredSent = 0
        public var recoveredPlanned = 0
        public var inDoubt = 0
        public var retries = 0
        public var webhooks = WebhookSummary()
        public var seconds = 0.0
        public var perSecond = 0.0
    }

    let options: Options
    let store: JobStore
    let logger: Logger
    let gateway: CloudAPIGateway
    var summary = Summary()

    public init(options: Options, store: JobStore, logger: Logger) {
        self.options = options
        self.store = store
        self.logger = logger
        gateway = CloudAPIGateway(
            base: options.endpoint, version: options.apiVersion, phoneNumberID: options.phoneNumberID,
            token: options.token, http: HTTPClient(configuration: options.http))
    }

    public func send() throws -> Summary {
        let settings = try store.waveSettings(options.wave)
        let record = try store.wave(options.wave)
        summary.wave = settings.name
        // What a crashed run left open; the webhooks taken in next may settle it.
        let open = try store.waveMessages(options.wave, state: .sending) + store.waveMessages(options.wave, state: .inDoubt)
        try takeInWebhooks()
        try settle(open)
        // The template as the webhooks last reported it: still approved, and its category now
        // (a completed re-categorization changes the route, contracts §8.2).
        let template = try store.templateRecord(name: settings.template, language: settings.language)
        if let status = template?.status, status.uppercased() != "APPROVED" {
            throw WamigrateError(
                .stageOrder, "template \(settings.template) (\(settings.language)) is \(status) now; nothing was sent",
                hint: "wait until it is APPROVED again (a status webhook records it), then run send again")
        }
        let category = (template?.category ?? record.category).uppercased()
        let marketing = options.marketingMessagesAPI && category == "MARKETING"
        summary.route = marketing ? "marketing_messages" : "messages"
        let pacer = RatePacer(perSecond: options.rate)
        let window = WindowLimiter(perSecond: options.rate)
        let started = Date()
        var allowance = Int.max
        if let tier = settings.tier {
            allowance = max(0, tier - (try store.waveRecipients(since: options.now() - 86_400)))
        }
        var cursor: Int64 = 0
        var total = 0
        var sinceWebhooks = 0
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
                if sinceWebhooks >= options.webhookEvery {
                    try takeInWebhooks()
                    sinceWebhooks = 0
                }
                let tally = try store.consentTally(addresses: message.addresses, policy: settings.policy)
                if tally.state == .optedOut || tally.whatsappState != .optedIn {
                    let reason = tally.state == .optedOut ? "opted_out" : "consent_not_counted"
                    try store.markTemplateOutcome(message.id, state: .suppressed, reason: reason, at: options.now())
                    summary.suppressed[reason, default: 0] += 1
                    continue
                }
                guard try store.markTemplateSending(message.id, at: options.now()) else { continue }
                pacer.acquire(cost: 1)
                try deliver(message, settings: settings, marketing: marketing, pacer: pacer, window: window)
                total += 1
                sinceWebhooks += 1
            }
        }
        try takeInWebhooks()
        summary.seconds = Date().timeIntervalSince(started)
        summary.perSecond = summary.seconds > 0 ? Double(summary.sent) / summary.seconds : 0
        return summary
    }

    private func deliver(
        _ message: OutboundTemplate, settings: WaveSettings, marketing: Bool, pacer: RatePacer, window: WindowLimiter
    ) throws {
        let values = zip(settings.parameters, message.parameters).map { (variable: $0.variable, value: $1) }
        let payload = CloudAPIGateway.payload(
            to: message.e164, template: settings.template, language: settings.language, parameters: values,
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
                return
            case let .refused(code, reason):
                try store.markTemplateOutcome(message.id, state: .failed, errorCode: String(code), reason: reason, at: now)
                summary.refused[reason, default: 0] += 1
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
            case let .stop(code, why):
                try store.markTemplateOutcome(message.id, state: .planned, reason: nil, at: now)
                throw WamigrateError(
                    code == 190 || why.contains("token") ? .auth : .remote, "wave \(settings.name) stopped: \(why)",
                    hint: Self.hint(code))
            case .unknown(let why):
                logger.warning("wave send: answer lost (\(why)); the status webhooks will settle it")
                try store.markTemplateOutcome(message.id, state: .inDoubt, reason: "no_answer", at: now)
                summary.inDoubt += 1
                return
            }
        }
    }

    /// What the receiver spooled and the inbox holds unprocessed: opt-outs, statuses, template updates.
    private func takeInWebhooks() throws {
        summary.webhooks.add(try WebhookIngest(keywords: options.keywords, now: options.now()).process(store: store))
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

    /// Settles what a crashed run left in `sending`, and earlier `in_doubt` messages: sent
    /// when a status webhook names the message's key (taking in webhooks may have done it).
    private func settle(_ open: [OutboundTemplate]) throws {
        let now = options.now()
        let states = try store.waveMessageStates(open.map(\.id))
        for message in open {
            let state = states[message.id] ?? message.state
            if state == .sent {
                summary.recoveredSent += 1
            } else if let wamid = try store.wamid(callback: message.idempotencyKey) {
                try store.markTemplateOutcome(
                    message.id, state: .sent, wamid: wamid, reason: "settled_by_webhook", at: now)
                summary.recoveredSent += 1
            } else if options.resendInDoubt {
                try store.markTemplateOutcome(message.id, state: .planned, reason: "resend_in_doubt", at: now)
                summary.recoveredPlanned += 1
            } else {
                if state == .sending {
                    try store.markTemplateOutcome(message.id, state: .inDoubt, reason: "no_answer", at: now)
                }
                summary.inDoubt += 1
            }
        }
    }
}
