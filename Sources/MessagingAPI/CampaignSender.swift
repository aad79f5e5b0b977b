import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateStore

/// campaign send: sends the messages whose slot has come, inside their
/// recipients' sending hours, throttled per channel, checking the consent
/// ledger just before each one. Each message is marked `sending` before its
/// request and settled after, so a crash and re-run never sends twice and never
/// skips one: a re-run first looks `sending` SMS up in the provider's message
/// list (found: sent; not found: planned again). Viber has no such list, so a
/// Viber message caught mid-request becomes `in_doubt` and is only sent again
/// with `resendInDoubt`, after a person checked.
public final class CampaignSender {
    public struct Options: Sendable {
        public var campaign: String
        public var smsEndpoint: String?
        public var smsAccountSID = ""
        public var smsAuthToken = ""
        public var smsFrom = ""
        public var viberEndpoint: String?
        public var viberToken = ""
        /// The Viber sender name; defaults to the business the text names.
        public var viberSender: String?
        public var resendInDoubt = false
        /// Stop after this many messages (a small first wave).
        public var limit: Int?
        public var http = HTTPClient.Configuration()
        public var retry = RetryPolicy(maxAttempts: 6, baseDelay: 0.2, maxDelay: 10)
        /// The schedule's clock (Unix seconds); tests and rehearsals inject it. The throttle runs on real time.
        public var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

        public init(campaign: String) { self.campaign = campaign }
    }

    public struct Summary: Codable, Sendable {
        public var campaign = ""
        public var sent = 0
        public var failed: [String: Int] = [:]
        /// Not sent because the ledger says the person opted out since the plan.
        public var suppressed: [String: Int] = [:]
        /// Due, but outside the recipient's sending hours now.
        public var waitingQuietHours = 0
        /// Due, but the channel's daily limit is reached.
        public var waitingDailyLimit = 0
        /// Due, but no endpoint was given for the channel.
        public var waitingNoEndpoint = 0
        public var notYetDue = 0
        public var nextSlot: String?
        /// Left from a crashed run: found at the provider (sent) or not (planned again).
        public var recoveredSent = 0
        public var recoveredPlanned = 0
        public var inDoubt = 0
        public var retries = 0
    }

    let options: Options
    let store: JobStore
    let logger: Logger
    let http: HTTPClient
    var summary = Summary()

    public init(options: Options, store: JobStore, logger: Logger) {
        self.options = options
        self.store = store
        self.logger = logger
        self.http = HTTPClient(configuration: options.http)
    }

    var sms: SMSGateway? {
        options.smsEndpoint.map {
            SMSGateway(
                base: Self.trimmed($0), accountSID: options.smsAccountSID, authToken: options.smsAuthToken,
                from: options.smsFrom, http: http)
        }
    }

    var viber: ViberGateway? {
        options.viberEndpoint.map { ViberGateway(base: Self.trimmed($0), token: options.viberToken, http: http) }
    }

    static func trimmed(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }

    public func send() throws -> Summary {
        let settings = try store.campaignSettings(options.campaign)
        // One sender per campaign: the store's writer lock (taken when the store was
        // opened) keeps a second sender from taking this one's in-flight message for a
        // crash leftover.
        summary.campaign = settings.name
        try settle()
        let now = options.now()
        let windows = SendingWindows(hours: settings.hours, from: now - 86_400, days: 3)
        let pacers = settings.throttle.mapValues { RatePacer(perSecond: Double($0.perSecond)) }
        let day = now - now % 86_400
        var sentToday = [String: Int]()
        for channel in ["sms", "viber"] {
            sentToday[channel] = try store.sentCount(settings.name, channel: channel, from: day, to: day + 86_400)
        }
        var cursor: (Int64, Int64) = (Int64.min, 0)
        var total = 0
        batches: while true {
            let batch = try store.dueMessages(settings.name, now: now, after: cursor, limit: 500)
            if batch.isEmpty { break }
            for message in batch {
                cursor = (message.sendAt, message.id)
                if let limit = options.limit, total >= limit { break batches }
                guard (message.channel == "sms" ? options.smsEndpoint : options.viberEndpoint) != nil else {
                    summary.waitingNoEndpoint += 1
                    continue
                }
                guard windows.allows(zones: message.zones, at: now) else {
                    summary.waitingQuietHours += 1
                    continue
                }
                if let perDay = settings.throttle[message.channel]?.perDay, sentToday[message.channel, default: 0] >= perDay {
                    summary.waitingDailyLimit += 1
                    continue
                }
                let tally = try store.consentTally(addresses: message.addresses, policy: settings.policy)
                if tally.state == .optedOut {
                    try store.markOutcome(message.id, state: .suppressed, reason: "opted_out", at: now)
                    summary.suppressed["opted_out", default: 0] += 1
                    continue
                }
                guard try store.markSending(message.id, at: options.now()) else { continue }
                pacers[message.channel]?.acquire(cost: 1)
                try deliver(message)
                sentToday[message.channel, default: 0] += 1
                total += 1
            }
        }
        let upcoming = try store.upcoming(settings.name, now: now)
        summary.notYetDue = upcoming.count
        summary.nextSlot = upcoming.next.map { ISOTime.string($0) }
        return summary
    }

    /// One request with retries, then the outcome recorded.
    private func deliver(_ message: OutboundMessage) throws {
        var attempt = 1
        while true {
            let answer: SendAnswer
            if message.channel == "sms", let sms {
                answer = sms.send(to: message.address, body: message.text, key: message.idempotencyKey)
            } else if let viber {
                answer = viber.send(
                    to: message.address, text: message.text, sender: options.viberSender ?? message.business,
                    key: message.idempotencyKey, link: message.link, button: message.button)
            } else {
                return
            }
            let now = options.now()
            switch answer {
            case .accepted(let id):
                try store.markOutcome(message.id, state: .sent, providerID: id, at: now)
                summary.sent += 1
                return
            case let .refused(code, reason, unsubscribed):
                var event: ConsentEvent?
                if unsubscribed, message.channel == "sms" {
                    var optOut = ConsentEvent(
                        address: message.address, contactID: message.contactID, channel: "sms", kind: .optOut, at: now,
                        recordedAt: now, method: .gatewayUnsubscribed, ref: message.idempotencyKey)
                    optOut.campaign = message.campaign
                    optOut.evidence = "gateway error \(code) for message \(message.idempotencyKey)"
                    event = optOut
                }
                try store.markOutcome(message.id, state: .failed, errorCode: code, reason: reason, at: now, optOut: event)
                summary.failed[reason, default: 0] += 1
                return
            case let .retry(after, why):
                guard attempt < options.retry.maxAttempts else {
                    // Never processed: back to planned, for the next run.
                    try store.markOutcome(message.id, state: .planned, reason: "retries_exhausted", at: now)
                    throw WamigrateError(
                        .remote, "the \(message.channel) gateway kept refusing for now (\(why)) after \(attempt) attempts",
                        hint: "nothing was lost: run the same command again later; lower the throttle if this repeats")
                }
                let wait = options.retry.delay(after: attempt, retryAfter: after)
                logger.warning("campaign send: \(message.channel) \(why); retrying in \(String(format: "%.2f", wait)) s")
                summary.retries += 1
                Thread.sleep(forTimeInterval: wait)
                attempt += 1
            case .authFailed(let why):
                try store.markOutcome(message.id, state: .planned, reason: nil, at: now)
                throw WamigrateError(
                    .auth, "the \(message.channel) gateway refused the credentials (\(why))",
                    hint: message.channel == "sms"
                        ? "check --sms-account-env (ACCOUNT_SID:AUTH_TOKEN)" : "check --viber-token-env")
            case .unknown(let why):
                logger.warning("campaign send: \(message.channel) answer lost (\(why)); settling it from the provider")
                try settle(message)
                return
            }
        }
    }

    /// Settles what a crashed (or answer-less) run left in `sending`, and `in_doubt` SMS.
    private func settle() throws {
        var open = try store.campaignMessages(options.campaign, state: .sending)
        open += try store.campaignMessages(options.campaign, state: .inDoubt)
        for message in open { try settle(message) }
    }

    private func settle(_ message: OutboundMessage) throws {
        let now = options.now()
        if message.channel == "sms" {
            guard let sms else { return }
            let found: String?
            do {
                found = try sms.find(to: message.address, body: message.text, since: (message.sendingAt ?? now) - 86_400)
            } catch GatewayError.auth(let why) {
                throw WamigrateError(.auth, "the SMS gateway refused the credentials (\(why))", hint: "check --sms-account-env")
            } catch {
                throw WamigrateError(
                    .remote, "cannot look up a message a crashed run may have sent: \(error)",
                    hint: "nothing was sent twice; run the same command again when the gateway answers")
            }
            if let sid = found {
                try store.markOutcome(message.id, state: .sent, providerID: sid, reason: "recovered", at: now)
                summary.recoveredSent += 1
            } else {
                try store.markOutcome(message.id, state: .planned, reason: nil, at: now)
                summary.recoveredPlanned += 1
            }
        } else if options.resendInDoubt {
            try store.markOutcome(message.id, state: .planned, reason: "resend_in_doubt", at: now)
            summary.recoveredPlanned += 1
        } else {
            if message.state != .inDoubt {
                try store.markOutcome(message.id, state: .inDoubt, reason: "no_answer_viber", at: now)
            }
            summary.inDoubt += 1
        }
    }
}
