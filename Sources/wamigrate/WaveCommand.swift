import ArgumentParser
import Foundation
import MessagingAPI
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// `wamigrate wave …`: WhatsApp template waves through the Cloud API.
struct WaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wave",
        abstract: "Send an approved template on WhatsApp to the people whose consent counts; learn who is on WhatsApp.",
        subcommands: [Plan.self, Send.self, Status.self, Advance.self, Promote.self])

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Plan one template message per person on a list, in days of the messaging limit.",
            discussion: """
                Only contacts whose consent counts for WhatsApp under the job's policy are planned (the consent ledger \
                decides; opted-out people never are). The template must be in the store and APPROVED (templates submit, \
                or a message_template_status_update webhook). Body variables take contact fields: --param 1=name.

                Example: wamigrate wave plan --store job.sqlite --name welcome --template order_updates_v2 --language de \
                --param 1=name --fallback 1=Kunde --tier 1000 --dry-run

                Gradually, with an A/B test: --rollout 1%,10%,50%,100% --variants A=welcome_a,B=welcome_b \
                --gate "delivered>=0.9,read>=0.4,optout<=0.01,blocked<=0.005" --holdout 5%. Cohorts and variants come \
                from a keyed hash of the contact id (a re-plan keeps everyone's place); send takes the released \
                cohorts only; `wave advance` releases the next when the gate holds on the one before.
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: "Wave name (letters, digits, _ - .).") var name: String
        @Option(help: "Template name, as submitted (with --variants: the first variant's, if left out).")
        var template: String?
        @Option(help: "Template language code (de, en_US, pt_BR …).") var language: String
        @Option(help: "The import list to send to: whatsapp_ready or reconsent.") var list = "whatsapp_ready"
        @Option(help: "Messaging limit: unique recipients per rolling 24 h (250, 2000, 10000, 100000; default unlimited).")
        var tier: Int?
        @Option(
            help: "A body variable and the contact field it takes: VAR=FIELD (name, email, language, region, e164). Repeatable.")
        var param: [String] = []
        @Option(help: "Text for a variable when the contact has no value: VAR=TEXT. Repeatable.") var fallback: [String] = []
        @Flag(help: "Leave out contacts missing a parameter (reason missing_parameter) instead of stopping.")
        var skipMissing = false
        @Flag(help: "Print who would get it, how many days it takes and the cost; store nothing.") var dryRun = false
        @Option(help: "WhatsApp price table (default: mappings/whatsapp/prices.yml).") var prices: String?
        @OptionGroup var files: CampaignFiles
        @OptionGroup var policy: PolicyOptions
        @OptionGroup var rollout: RolloutOptions

        func validate() throws {
            guard ImportList(rawValue: list) == .whatsappReady || ImportList(rawValue: list) == .reconsent else {
                throw ValidationError("--list must be whatsapp_ready or reconsent")
            }
            for item in param + fallback where !item.contains("=") {
                throw ValidationError("'\(item)' is not VAR=VALUE (e.g. --param 1=name)")
            }
        }

        /// The template: --template, or the first variant's.
        var firstTemplate: String? {
            template ?? rollout.variants?.split(separator: ",").first?.split(separator: "=").dropFirst().first.map(String.init)
        }

        func run() throws {
            try runReportingErrors {
                guard let template = firstTemplate else {
                    throw WamigrateError(.usage, "wave plan needs --template (or --variants)", hint: "e.g. --template welcome")
                }
                var settings = WaveSettings(name: name, template: template, language: language)
                settings.rollout = try rollout.settings(template: template)
                settings.list = ImportList(rawValue: list) ?? .whatsappReady
                settings.tier = tier
                settings.skipMissing = skipMissing
                settings.policy = try policy.policy()
                let fallbacks = Dictionary(
                    fallback.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.map { ($0[0], $0[1]) },
                    uniquingKeysWith: { _, b in b })
                settings.parameters = param.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.map {
                    WaveSettings.Parameter(variable: $0[0], field: $0[1], fallback: fallbacks[$0[0]])
                }
                let pricesFile = try prices ?? mappingsFile("whatsapp/prices.yml", directory: files.mappingsDir)
                let planner = WavePlanner(
                    settings: settings, prices: try WhatsAppPrices.load(path: pricesFile),
                    now: Int64(Date().timeIntervalSince1970))
                let summary = try planner.plan(store: try store.openForCampaign("wave-plan"), dryRun: dryRun)
                if store.json { return try printJSON(summary) }
                WavePrinter.plan(summary)
            }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send",
            abstract: "Send a planned wave through the Cloud API: paced, within the messaging limit, exactly once.",
            discussion: """
                Just before each message, what the receiver (webhook serve) took in since the last look is taken in \
                and the ledger checked: a STOP accepted by the receiver stops the next message to that person, within \
                a second. A request that went out without an answer, or got a 5xx that does not say it was refused, \
                may have been delivered: it is in_doubt, settled by its status webhook (biz_opaque_callback_data). It \
                is sent again only when --settle-seconds passed with no status for it while statuses for later \
                messages did arrive, or with --resend-in-doubt after a person checked.

                On a PostgreSQL job (--store postgres://…) several wave send processes, on any machines, may send one \
                wave together: each takes batches of messages no other running sender holds, --rate is each one's share, \
                and the messaging limit counts them all.

                Example: WA_TOKEN=… wamigrate wave send --store job.sqlite --name welcome \
                --endpoint https://graph.facebook.com --phone-number-id 1234 --token-env WA_TOKEN

                \(ExitCodes.sending)
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: "Wave name.") var name: String
        @Option(help: "Graph API base URL (https://graph.facebook.com, or the sandbox's).") var endpoint: String
        @Option(help: "Graph API version.") var apiVersion = "v23.0"
        @Option(help: "The business phone number's id.") var phoneNumberId: String
        @Option(help: "Variable holding the access token (never passed on the command line).") var tokenEnv: String
        @Option(help: "Messages per second for this number (Cloud API default 80).") var rate = 80.0
        @Flag(help: "Send MARKETING templates through /marketing_messages (the Marketing Messages API is set up).")
        var marketingMessages = false
        @Option(help: "Send at most this many messages in this run.") var limit: Int?
        @Option(help: "Seconds an in-doubt message waits for its status webhook before it may be sent again.")
        var settleSeconds = 600.0
        @Flag(help: "Send again the messages left in_doubt (after checking they did not arrive).") var resendInDoubt = false
        @OptionGroup var files: CampaignFiles

        func validate() throws {
            guard rate > 0, rate <= 1000 else { throw ValidationError("--rate must be above 0 and at most 1000") }
            guard settleSeconds >= 0 else { throw ValidationError("--settle-seconds cannot be negative") }
            guard !phoneNumberId.isEmpty, phoneNumberId.allSatisfy(\.isNumber) else {
                throw ValidationError("--phone-number-id is a number")
            }
            try asUsageError { try EndpointPolicy.check(endpoint, option: "--endpoint") }
        }

        func run() throws {
            try runReportingErrors {
                let token = try SecretVariable.value(tokenEnv, hint: "export \(tokenEnv)=<access token>")
                var options = WaveSender.Options(
                    wave: name, endpoint: endpoint, phoneNumberID: phoneNumberId, token: token,
                    keywords: try files.keywordBook())
                options.apiVersion = apiVersion
                options.rate = rate
                options.marketingMessagesAPI = marketingMessages
                options.limit = limit
                options.settleSeconds = settleSeconds
                options.resendInDoubt = resendInDoubt
                let jobStore = try store.openForCampaign("wave-send", sender: true)
                let summary = try WaveSender(options: options, store: jobStore, logger: store.logger()).send()
                if store.json { return try printJSON(summary) }
                WavePrinter.send(summary)
            }
        }
    }

    struct Advance: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "advance",
            abstract: "Release a rollout's next cohort, only if the gate holds on the newest one out.",
            discussion: """
                The gate is judged on the cohort's messages sent at least --gate-wait ago (their statuses had time to \
                arrive), with each figure's 95 % interval and the sample size. When it fails, nothing is released and \
                the figure that failed is named with how far it missed (exit 66); every decision is kept for the report.

                Example: wamigrate wave advance --store job.sqlite --name welcome
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: "Wave name.") var name: String

        func run() throws {
            try runReportingErrors {
                let jobStore = try store.openForCampaign("wave-advance")
                let rollout = try WaveRollout(settings: try jobStore.waveSettings(name), now: Int64(Date().timeIntervalSince1970))
                let status = try rollout.advance(store: jobStore)
                if store.json { return try printJSON(status) }
                RolloutPrinter.status(status)
            }
        }
    }

    struct Promote: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "promote",
            abstract: "Send the rest of a rollout with one variant: every cohort released, every planned message its template.",
            discussion: """
                The choice is yours; the decision kept for the report says whether the data supported it.

                Example: wamigrate wave promote --store job.sqlite --name welcome --variant B
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: "Wave name.") var name: String
        @Option(help: "The variant the rest of the wave sends.") var variant: String

        func run() throws {
            try runReportingErrors {
                let jobStore = try store.openForCampaign("wave-promote")
                let rollout = try WaveRollout(settings: try jobStore.waveSettings(name), now: Int64(Date().timeIntervalSince1970))
                let status = try rollout.promote(variant, store: jobStore)
                if store.json { return try printJSON(status) }
                RolloutPrinter.status(status)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Where a wave's messages are: planned, sent, delivered, read, failed (with codes), in doubt.")

        @OptionGroup var store: StoreOptions
        @Option(help: "Wave name.") var name: String

        func run() throws {
            try runReportingErrors {
                let jobStore = try StoreEngines.openExisting(path: store.store)
                let settings = try jobStore.waveSettings(name)
                var report: WaveStatusReport
                var rollout: RolloutStatus?
                if settings.rollout != nil {
                    let rolloutNow = try WaveRollout(settings: settings, now: Int64(Date().timeIntervalSince1970))
                    (report, rollout) = try rolloutNow.statusAndReport(store: jobStore)
                } else {
                    report = try jobStore.waveStatus(name)
                }
                if store.json { return try printJSON(WaveStatusOutput(report: report, rollout: rollout)) }
                WavePrinter.status(report)
                if let rollout { RolloutPrinter.status(rollout) }
            }
        }
    }
}
