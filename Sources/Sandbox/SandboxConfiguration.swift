import Foundation

/// How the sandbox answers. Every answer is deterministic for a given seed.
public struct SandboxConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 asks the system for a free port; the server reports the one it got.
    public var port = 0
    /// Numbers on WhatsApp (digits of the E.164 form). When set, only these are.
    public var registered: Set<String>?
    /// Numbers answered under another number's wa_id (one WhatsApp account, two
    /// numbers): digits → wa_id. Such numbers are always registered.
    public var aliases: [String: String] = [:]
    /// Otherwise, the share of numbers on WhatsApp, chosen by a keyed hash.
    public var registeredRate = 0.7
    public var seed: UInt64 = 1
    public var faults = FaultPlan()
    /// The routes faults strike (all by default).
    public var faultRoutes = Set(FaultRoute.allCases)
    /// Answer `valid` with a `wa_id` for every number, as the contacts node does from v2.43.
    public var allValid = false
    /// Token lifetime in seconds (the API's default is 7 days).
    public var tokenLifetime: Double = 7 * 86_400
    /// nil: the factory account admin/secret, which must change its password at first login.
    public var adminPassword: String?
    /// Larger requests are refused with 1009; the API documents no maximum.
    public var maxContactsPerRequest = 1000
    /// Extra answer time for the `slow` fault, and the stall of the `timeout` fault, in seconds.
    public var slowSeconds = 1.0
    public var hangSeconds = 15.0
    /// The `Retry-After` sent with a 429.
    public var retryAfterSeconds = 1

    /// The bearer token the Graph-style routes (templates) accept.
    public var graphToken = "sandbox-token"
    /// The status new templates get: APPROVED or PENDING.
    public var templateStatus = "APPROVED"
    /// Template names answered REJECTED, with the reason (PROMOTIONAL, INVALID_FORMAT, ...).
    public var rejectTemplates: [String: String] = [:]
    /// Creations per WABA per rolling hour (Meta: 100).
    public var templateHourlyLimit = 100

    /// Twilio-style SMS: the account SID and auth token Basic auth must carry.
    public var smsAccountSID = "ACsandbox"
    public var smsAuthToken = "sandbox-sms-token"
    /// Numbers (E.164) answered 21610: the recipient replied STOP.
    public var smsUnsubscribed: Set<String> = []
    /// Share of SMS requests answered 429 / 20429.
    public var smsBusyRate = 0.0
    /// The `X-Viber-Auth-Token` the Viber route accepts.
    public var viberToken = "sandbox-viber-token"
    /// Viber user ids answered status 6 (not subscribed).
    public var viberUnsubscribed: Set<String> = []
    /// Share of Viber requests answered status 12 (too many requests).
    public var viberBusyRate = 0.0
    /// Seconds between recording a message and answering (to rehearse a crash mid-request).
    public var messageDelay = 0.0

    /// Cloud API messages: unique recipients per rolling 24 h (the messaging limit); nil: unlimited.
    public var messagingLimit: Int?
    /// Answer unknown templates (not created through this sandbox) 132001; off: any name goes.
    public var strictTemplates = true
    /// The WABA id status webhooks name (`entry[].id`) when no template created here tells
    /// which: a template's own WABA (from its creation URL) wins.
    public var wabaID = "102290129340398"
    /// Where status webhooks go (`webhook serve`'s URL); nil: none are sent.
    public var webhookURL: String?
    /// The app secret status webhooks are signed with (X-Hub-Signature-256).
    public var appSecret = "sandbox-app-secret"
    /// The longest delay before a status is posted, in seconds; each status draws its own (so they reorder).
    public var webhookMaxDelay = 0.5
    /// Share of statuses posted twice (Meta redelivers).
    public var webhookDuplicateRate = 0.05
    /// Share of statuses preceded by a forged post with a bad signature (the receiver must refuse it).
    public var webhookBadSignatureRate = 0.02
    /// Share of delivered messages also read.
    public var readRate = 0.6
    /// Per template name: reads, STOP replies and blocks of its own (rollout rehearsals).
    public var templateBehaviour: [String: TemplateBehaviour] = [:]
    /// Numbers (digits) whose messages fail with 131026 although they are registered (ambiguous evidence).
    public var undeliverable: Set<String> = []

    public init() {}

    /// Reads `NUMBER WA_ID` pairs, one per line.
    public static func aliases(file: String) throws -> [String: String] {
        var aliases: [String: String] = [:]
        for line in try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: \.isNewline) {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            guard parts.count == 2 else { continue }
            aliases[RegistrationBook.canonical(String(parts[0].filter(\.isNumber)))] = String(parts[1].filter(\.isNumber))
        }
        return aliases
    }

    /// Reads a file of registered numbers: one per line, with or without +, `#` comments.
    public static func registeredNumbers(file: String) throws -> Set<String> {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var numbers = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let digits = trimmed.filter(\.isASCII).filter(\.isNumber)
            if !digits.isEmpty { numbers.insert(RegistrationBook.canonical(String(digits))) }
        }
        return numbers
    }
}
