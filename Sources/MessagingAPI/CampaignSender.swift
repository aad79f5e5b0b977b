import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateModel

/// campaign send: sends the messages whose slot has come, inside their recipients' sending
/// hours, throttled per channel, checking the consent ledger just before each one: the send
/// loop (`SendLoop`) over the campaign's send log (`CampaignSender+SendLedger`) and the SMS and
/// Viber gateways. A crash and re-run never sends twice and never skips one.
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
    let store: any JobStoring
    let logger: Logger
    let settings: CampaignSettings
    let sms: SMSGateway?
    let viber: ViberGateway?
    var summary = Summary()
    /// The schedule's clock once settled, the sending hours around it, and what went out today.
    var now: Int64 = 0
    var windows: SendingWindows?
    var sentToday = [Channel: Int]()
    var cursor: (Int64, Int64) = (Int64.min, 0)

    public init(options: Options, store: any JobStoring, logger: Logger) throws {
        self.options = options
        self.store = store
        self.logger = logger
        let settings = try store.campaignSettings(options.campaign)
        self.settings = settings
        let http = HTTPClient(configuration: options.http)
        let pacer = { RatePacer(perSecond: settings.throttle[$0].map { Double($0.perSecond) }) }
        let trimmed = { (url: String) in url.hasSuffix("/") ? String(url.dropLast()) : url }
        sms = options.smsEndpoint.map {
            SMSGateway(
                base: trimmed($0), accountSID: options.smsAccountSID, authToken: options.smsAuthToken,
                from: options.smsFrom, http: http, pacer: pacer(.sms))
        }
        viber = options.viberEndpoint.map {
            ViberGateway(
                base: trimmed($0), token: options.viberToken, sender: options.viberSender, http: http, pacer: pacer(.viber))
        }
        summary.campaign = settings.name
    }

    /// One sender per campaign: the store's writer lock (taken when the store was opened) keeps
    /// a second sender from taking this one's in-flight message for a crash leftover.
    public func send() throws -> Summary {
        let retry = GatewayRetryPolicy(retry: options.retry)
        try SendLoop(ledger: self, retry: retry, limit: options.limit, logger: logger, now: options.now).run()
        return summary
    }
}
