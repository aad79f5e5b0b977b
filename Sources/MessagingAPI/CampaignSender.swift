import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateStore

/// campaign send: sends the messages whose slot has come, inside their recipients' sending
/// hours, throttled per channel, checking the consent ledger just before each one: the send
/// loop (`SendLoop`) over the campaign's send log (`CampaignLedger`) and the SMS and Viber
/// gateways. A crash and re-run never sends twice and never skips one.
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

    public init(options: Options, store: JobStore, logger: Logger) {
        self.options = options
        self.store = store
        self.logger = logger
    }

    public func send() throws -> Summary {
        // One sender per campaign: the store's writer lock (taken when the store was opened) keeps
        // a second sender from taking this one's in-flight message for a crash leftover.
        let ledger = try CampaignLedger(options: options, store: store)
        try SendLoop(
            ledger: ledger, retry: GatewayRetryPolicy(retry: options.retry), limit: options.limit, logger: logger,
            now: options.now
        ).run()
        return ledger.summary
    }
}
