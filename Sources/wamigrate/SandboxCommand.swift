import ArgumentParser
import Foundation
import Logging
import Sandbox
import WamigrateBase

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract:
            "Serve the WhatsApp contacts, template and messages APIs (with signed status webhooks), Twilio-style SMS and Viber send_message on loopback, with deterministic answers and injectable faults.",
        discussion: """
            Prints its base URL (http://127.0.0.1:PORT) on stdout once listening; stops cleanly on SIGINT or SIGTERM. \
            The account is admin/secret and must change its password at first login, unless --admin-password-env is given. \
            Faults strike every route (contacts, template messages, templates, SMS, Viber), each with a rate, e.g. \
            --faults 429=0.05,500=0.02,slow=0.01. Before the request is taken: 429, 500, 503, reset (the connection \
            closes), expire (401). After it is taken (the message goes out and its status webhook follows): drop (the \
            connection closes with no answer), 504 (a proxy's page), truncated, malformed, timeout (the answer comes \
            after --hang-seconds). slow only delays. GET /_sandbox/stats returns counters for tests and benchmarks; GET /_sandbox/messages lists the SMS, Viber and \
            WhatsApp messages received; GET /_sandbox/whatsapp counts template messages and the webhooks posted.
            """)

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 0

    @Option(help: "Address to bind: 127.0.0.1 or ::1 (loopback only).")
    var host = "127.0.0.1"

    @Option(help: "A file of registered numbers (one per line); only these are on WhatsApp.")
    var registered: String?

    @Option(help: "A file of 'NUMBER WA_ID' lines: numbers answered under another number's wa_id.")
    var waIdAliases: String?

    @Option(help: "Otherwise, the share of numbers on WhatsApp, chosen by a keyed hash.")
    var registeredRate = 0.7

    @Option(help: "Seed for registration and fault choices.")
    var seed: UInt64 = 1

    @Option(help: "Faults and their rates: kind=rate,...")
    var faults = ""

    @Option(help: "The routes faults strike: contacts,messages,templates,sms,viber (all by default).")
    var faultRoutes = "contacts,messages,templates,sms,viber"

    @Flag(help: "Answer valid for every number, as the contacts node does from v2.43.")
    var allValid = false

    @Option(help: "Token lifetime in seconds (604800: 7 days).")
    var tokenLifetime: Double = 7 * 86_400

    @Option(help: "Variable holding the admin password; then no first-login change is required.")
    var adminPasswordEnv: String?

    @Option(help: "Seconds a slow answer takes.")
    var slowSeconds = 1.0

    @Option(help: "Seconds a timeout fault stalls.")
    var hangSeconds = 15.0

    @Option(help: "Variable holding the bearer token the template routes accept (default token: sandbox-token).")
    var graphTokenEnv: String?

    @Option(help: "Status of new templates: APPROVED or PENDING.")
    var templateStatus = "APPROVED"

    @Option(help: "Answer this template REJECTED: NAME=REASON (PROMOTIONAL, INVALID_FORMAT, ...). Repeatable.")
    var rejectTemplate: [String] = []

    @Option(help: "Template creations per WABA per rolling hour (Meta: 100).")
    var templateHourlyLimit = 100

    @Option(help: "The Twilio-style account SID the SMS route accepts.")
    var smsAccountSid = "ACsandbox"

    @Option(help: "Variable holding the SMS auth token (default token: sandbox-sms-token).")
    var smsAuthEnv: String?

    @Option(help: "A number (E.164) the SMS route answers 21610, unsubscribed. Repeatable.")
    var smsUnsubscribed: [String] = []

    @Option(help: "Share of SMS requests answered 429 / 20429, from 0 to 1.")
    var smsBusyRate = 0.0

    @Option(help: "Variable holding the Viber auth token (default token: sandbox-viber-token).")
    var viberTokenEnv: String?

    @Option(help: "A Viber user id answered status 6, not subscribed. Repeatable.")
    var viberUnsubscribed: [String] = []

    @Option(help: "Share of Viber requests answered status 12, too many requests, from 0 to 1.")
    var viberBusyRate = 0.0

    @Option(help: "Seconds between receiving an SMS, Viber or WhatsApp message and answering (to rehearse crashes).")
    var messageDelay = 0.0

    @Option(help: "WhatsApp messaging limit: unique recipients per rolling 24 h (250, 2000, 10000, 100000; default none).")
    var messagingLimit: Int?

    @Flag(help: "Take template messages for any template name, not only ones created through this sandbox.")
    var anyTemplate = false

    @Option(help: "Post signed status webhooks (sent, delivered, read, failed) for WhatsApp messages to this URL.")
    var webhookUrl: String?

    @Option(help: "Variable holding the app secret webhooks are signed with (default secret: sandbox-app-secret).")
    var appSecretEnv: String?

    @Option(help: "Longest delay before a status webhook is posted, in seconds; each draws its own, so they reorder.")
    var webhookMaxDelay = 0.5

    @Option(help: "Share of status webhooks posted twice, from 0 to 1.")
    var webhookDuplicateRate = 0.05

    @Option(help: "Share of status webhooks preceded by a forged post with a bad signature, from 0 to 1.")
    var webhookBadSignatureRate = 0.02

    @Option(help: "Share of delivered WhatsApp messages also read, from 0 to 1.")
    var readRate = 0.6

    @Option(
        help: "How people answer one template: NAME:read=RATE,stop=RATE,block=RATE,click=RATE (rollout rehearsals). Repeatable.")
    var templateBehaviour: [String] = []

    func validate() throws {
        guard (0...1).contains(smsBusyRate), (0...1).contains(viberBusyRate) else {
            throw ValidationError("--sms-busy-rate and --viber-busy-rate must be from 0 to 1")
        }
        guard ["APPROVED", "PENDING"].contains(templateStatus) else {
            throw ValidationError("--template-status must be APPROVED or PENDING")
        }
        for item in rejectTemplate where !item.contains("=") {
            throw ValidationError("--reject-template takes NAME=REASON, e.g. summer_sale=PROMOTIONAL")
        }
        guard host == "127.0.0.1" || host == "::1" || host == "localhost" else {
            throw ValidationError("the sandbox binds loopback only (127.0.0.1 or ::1)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("port must be 0 to 65535") }
        guard (0...1).contains(registeredRate) else { throw ValidationError("--registered-rate must be from 0 to 1") }
        for (name, rate) in [
            ("--webhook-duplicate-rate", webhookDuplicateRate), ("--webhook-bad-signature-rate", webhookBadSignatureRate),
            ("--read-rate", readRate),
        ] where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be from 0 to 1")
        }
        if let messagingLimit, messagingLimit < 1 { throw ValidationError("--messaging-limit must be at least 1") }
        for item in templateBehaviour {
            if case .failure(let error) = TemplateBehaviour.parse(item) { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        var configuration = SandboxConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.registeredRate = registeredRate
        configuration.seed = seed
        configuration.allValid = allValid
        configuration.tokenLifetime = tokenLifetime
        configuration.slowSeconds = slowSeconds
        configuration.hangSeconds = hangSeconds
        configuration.templateStatus = templateStatus
        configuration.templateHourlyLimit = templateHourlyLimit
        for item in rejectTemplate {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            configuration.rejectTemplates[parts[0]] = parts[1]
        }
        configuration.smsAccountSID = smsAccountSid
        configuration.smsUnsubscribed = Set(smsUnsubscribed)
        configuration.smsBusyRate = smsBusyRate
        configuration.viberUnsubscribed = Set(viberUnsubscribed)
        configuration.viberBusyRate = viberBusyRate
        configuration.messageDelay = messageDelay
        configuration.messagingLimit = messagingLimit
        configuration.strictTemplates = !anyTemplate
        configuration.webhookURL = webhookUrl
        configuration.webhookMaxDelay = webhookMaxDelay
        configuration.webhookDuplicateRate = webhookDuplicateRate
        configuration.webhookBadSignatureRate = webhookBadSignatureRate
        configuration.readRate = readRate
        for item in templateBehaviour {
            let (name, behaviour) = try TemplateBehaviour.parse(item).get()
            configuration.templateBehaviour[name] = behaviour
        }
        for (variable, apply) in [
            (smsAuthEnv, { configuration.smsAuthToken = $0 }), (viberTokenEnv, { configuration.viberToken = $0 }),
        ] as [(String?, (String) -> Void)] {
            guard let variable else { continue }
            if let problem = SecretVariable.problem(variable) { throw ValidationError(problem) }
            let token = ProcessInfo.processInfo.environment[variable]!
            apply(token)
        }
        if let variable = appSecretEnv {
            if let problem = SecretVariable.problem(variable) { throw ValidationError(problem) }
            let secret = ProcessInfo.processInfo.environment[variable]!
            configuration.appSecret = secret
        }
        if let variable = graphTokenEnv {
            if let problem = SecretVariable.problem(variable) { throw ValidationError(problem) }
            let token = ProcessInfo.processInfo.environment[variable]!
            configuration.graphToken = token
        }
        do {
            configuration.faults = try FaultPlan(parsing: faults)
            configuration.faultRoutes = try FaultRoute.parse(faultRoutes)
            if let waIdAliases { configuration.aliases = try SandboxConfiguration.aliases(file: waIdAliases) }
            if let registered { configuration.registered = try SandboxConfiguration.registeredNumbers(file: registered) }
        } catch {
            throw ValidationError("\(error)")
        }
        if let variable = adminPasswordEnv {
            if let problem = SecretVariable.problem(variable) { throw ValidationError(problem) }
            let password = ProcessInfo.processInfo.environment[variable]!
            configuration.adminPassword = password
        }
        LoggingBootstrap.once
        var logger = Logger(label: "wamigrate.sandbox")
        logger.logLevel = .warning
        let host = self.host
        try await runReportingErrorsAsync {
            try await SandboxServer(configuration: configuration).run(handleSignals: true, logger: logger) { port in
                let shown = host.contains(":") ? "[\(host)]" : host
                print("http://\(shown):\(port)")
                fflush(stdout)
            }
        }
    }
}
