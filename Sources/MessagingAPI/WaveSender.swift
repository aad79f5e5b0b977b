import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateModel

/// wave send: sends a planned wave's template through the Cloud API, one message per
/// person, capped per second and by the messaging limit: the send loop (`SendLoop`) over
/// the wave's send log (`WaveSender+SendLedger`) and the Cloud API (`CloudAPIGateway`). A STOP the
/// receiver accepted stops the next message to that person; nothing is sent twice.
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
        /// Planned in cohorts the rollout has not released yet (`wave advance` releases the next).
        public var waitingGate = 0
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
    let store: any JobStoring
    let logger: Logger
    let settings: WaveSettings
    let spoolWatch: any SpoolWatching
    var gateway: CloudAPIGateway
    var summary = Summary()
    var lastTakeIn = Date.distantPast
    /// The template's category as last reported: a marketing stop blocks MARKETING only.
    var category = ""
    /// Messages in doubt at some point of this run (left open before, or an answer lost now).
    var doubted = Set<Int64>()
    /// The messaging limit this run keeps (nil: unlimited), and the recipients it leaves for this run.
    var tier: Int?
    var allowance = Int.max
    var cursor: Int64 = 0
    var started = Date()

    public init(options: Options, store: any JobStoring, logger: Logger) throws {
        self.options = options
        self.store = store
        self.logger = logger
        settings = try store.waveSettings(options.wave)
        spoolWatch = store.spoolWatch()
        gateway = CloudAPIGateway(
            base: options.endpoint, version: options.apiVersion, phoneNumberID: options.phoneNumberID,
            token: options.token, http: HTTPClient(configuration: options.http), settings: settings, marketing: false,
            pacer: RatePacer(perSecond: options.rate), window: WindowLimiter(perSecond: options.rate))
        summary.wave = settings.name
    }

    public func send() throws -> Summary {
        let retry = GatewayRetryPolicy(retry: options.retry)
        try SendLoop(ledger: self, retry: retry, limit: options.limit, logger: logger, now: options.now).run()
        return summary
    }
}
