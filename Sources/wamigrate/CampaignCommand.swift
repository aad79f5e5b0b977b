import ArgumentParser
import Foundation
import MessagingAPI
import WamigrateBase
import WamigrateCore
import WamigrateStore

struct CampaignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "Re-consent campaigns over SMS and Viber, with a consent ledger.",
        subcommands: [Plan.self, Send.self, Replies.self, Status.self])

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Plan who gets which message when: the reconsent list minus every opt-out, in local sending hours.")

        @OptionGroup var store: StoreOptions
        @Option(help: "Campaign name (letters, digits, _ - .).") var name: String
        @Option(parsing: .upToNextOption, help: "Message files, one per language (mappings/reconsent/*.yml).")
        var message: [String]
        @Option(help: "Channels to use: sms, viber or both.") var channels = "sms,viber"
        @Flag(help: "Print counts by channel, language, country and day, and the cost; store nothing.") var dryRun = false
        @Option(help: "The earliest send time, ISO 8601 (default: now).") var start: String?
        @Option(help: "Local sending hours.") var hours = "09:00-20:00"
        @Option(help: "Local quiet weekdays, e.g. sat,sun (none: \"\").") var quietDays = "sun"
        @Option(help: "Days after the start in which slots are looked for.") var horizonDays = 90
        @Option(help: "SMS messages per second.") var smsPerSecond = 10
        @Option(help: "SMS messages per UTC day.") var smsPerDay = 100_000
        @Option(help: "Viber messages per second.") var viberPerSecond = 20
        @Option(help: "Viber messages per UTC day.") var viberPerDay = 200_000
        @Option(help: "Language for contacts whose language has no message file.") var fallbackLanguage = "en"
        @Option(help: "Time zone for contacts with no known region (default: this machine's).") var fallbackZone: String?
        @Option(help: "Price table (default: mappings/campaign/prices.yml).") var prices: String?
        @Option(help: "Time zones of multi-zone countries (default: mappings/campaign/timezones.yml).") var timezones: String?
        @Option(help: "The tz database's zone.tab.") var zoneTab = "/usr/share/zoneinfo/zone.tab"
        @OptionGroup var files: CampaignFiles
        @OptionGroup var policy: PolicyOptions

        func run() throws {
            try runReportingErrors {
                var settings = CampaignSettings(name: name, start: try parseTime(start, option: "--start"))
                settings.channels = try channels.split(separator: ",").map {
                    let word = $0.trimmingCharacters(in: .whitespaces)
                    guard let channel = Channel(rawValue: word) else {
                        throw WamigrateError(.usage, "unknown channel '\(word)'", hint: "channels are sms and viber")
                    }
                    return channel
                }
                settings.hours = try SendingHours(hours: hours, quietDays: quietDays)
                settings.horizonDays = horizonDays
                settings.throttle = [
                    .sms: .init(perSecond: smsPerSecond, perDay: smsPerDay),
                    .viber: .init(perSecond: viberPerSecond, perDay: viberPerDay),
                ]
                settings.fallbackLanguage = fallbackLanguage
                settings.policy = try policy.policy()
                let keywords = try files.keywordBook()
                let messages = try message.map { try ReconsentMessage.load(path: $0, keywords: keywords) }
                guard !messages.isEmpty else {
                    throw WamigrateError(.usage, "no message files", hint: "pass --message mappings/reconsent/*.yml")
                }
                let zones = try TimeZoneBook(
                    timezonesFile: try files.path(timezones, "timezones.yml"), zoneTabPath: zoneTab,
                    fallbackZone: fallbackZone ?? TimeZone.current.identifier)
                let table = try PriceTable.load(path: try files.path(prices, "prices.yml"))
                let summary = try CampaignPlanner(
                    settings: settings, messages: messages, zones: zones, prices: table, logger: store.logger()
                ).plan(store: try store.openForCampaign("campaign-plan"), dryRun: dryRun)
                if store.json { return try printJSON(summary) }
                CampaignPrinter.plan(summary)
            }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send",
            abstract: "Send the messages whose slot has come; exactly once, even across crashes.",
            discussion: """
                Example: wamigrate campaign send --store job.sqlite --name wa_move --sms-endpoint https://api.twilio.com \\
                --sms-account-env SMS_ACCOUNT --sms-from +4915799990000

                On a PostgreSQL job (--store postgres://…) several campaign send processes may send one campaign \
                together: each takes due messages no other running sender holds, and the per-day limits count them all.

                \(ExitCodes.sending)
                """)

        @OptionGroup var store: StoreOptions
        @Option(help: "Campaign name.") var name: String
        @Option(help: "Twilio-compatible API base URL (https://api.twilio.com or the sandbox's).") var smsEndpoint: String?
        @Option(help: "Variable holding ACCOUNT_SID:AUTH_TOKEN (never passed on the command line).") var smsAccountEnv: String?
        @Option(help: "Sender number (E.164) or Messaging Service SID (MG...).") var smsFrom: String?
        @Option(help: "Viber REST API base URL (https://chatapi.viber.com or the sandbox's).") var viberEndpoint: String?
        @Option(help: "Variable holding the Viber bot's auth token.") var viberTokenEnv: String?
        @Option(help: "Viber sender name, up to 28 characters (default: the business the text names).") var viberSender: String?
        @Option(help: "The schedule's clock, ISO 8601 (default: now); for rehearsals.") var now: String?
        @Option(help: "Send at most this many messages in this run.") var limit: Int?
        @Flag(help: "Send again the Viber messages left in doubt by a crash (check first that they did not arrive).")
        var resendInDoubt = false

        func validate() throws {
            guard smsEndpoint != nil || viberEndpoint != nil else {
                throw ValidationError("give --sms-endpoint and/or --viber-endpoint")
            }
            if smsEndpoint != nil, smsAccountEnv == nil || smsFrom == nil {
                throw ValidationError("--sms-endpoint needs --sms-account-env and --sms-from")
            }
            if viberEndpoint != nil, viberTokenEnv == nil { throw ValidationError("--viber-endpoint needs --viber-token-env") }
            if let smsEndpoint { try asUsageError { try EndpointPolicy.check(smsEndpoint, option: "--sms-endpoint") } }
            if let viberEndpoint { try asUsageError { try EndpointPolicy.check(viberEndpoint, option: "--viber-endpoint") } }
        }

        func run() throws {
            try runReportingErrors {
                var options = MessagingAPI.CampaignSender.Options(campaign: name)
                let env = ProcessInfo.processInfo.environment
                if let smsEndpoint, let variable = smsAccountEnv {
                    guard let value = env[variable], let colon = value.firstIndex(of: ":") else {
                        throw WamigrateError(
                            .usage, "the variable \(variable) is not set as ACCOUNT_SID:AUTH_TOKEN",
                            hint: "export \(variable)=AC...:<auth token>")
                    }
                    options.smsEndpoint = smsEndpoint
                    options.smsAccountSID = String(value[..<colon])
                    options.smsAuthToken = String(value[value.index(after: colon)...])
                    options.smsFrom = smsFrom ?? ""
                }
                if let viberEndpoint, let variable = viberTokenEnv {
                    guard let token = env[variable], !token.isEmpty else {
                        throw WamigrateError(.usage, "the variable \(variable) is not set", hint: "export \(variable)=<token>")
                    }
                    options.viberEndpoint = viberEndpoint
                    options.viberToken = token
                }
                options.viberSender = viberSender
                options.limit = limit
                options.resendInDoubt = resendInDoubt
                if let now {
                    let fixed = try parseTime(now, option: "--now")
                    options.now = { fixed }
                }
                let summary = try CampaignSender(
                    options: options, store: try store.openForCampaign("campaign-send", sender: true), logger: store.logger()
                )
                .send()
                if store.json { return try printJSON(summary) }
                CampaignPrinter.send(summary)
            }
        }
    }

    struct Replies: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replies",
            abstract: "Ingest replies and delivery statuses (Twilio CSV or webhook form posts, Viber webhook JSON lines).")

        @OptionGroup var store: StoreOptions
        @Option(parsing: .upToNextOption, help: "Files: .csv (Twilio messaging log) or JSON Lines (webhook bodies).")
        var from: [String]
        @Option(help: "The time recorded for replies whose source gives none, ISO 8601 (default: now).") var now: String?
        @OptionGroup var files: CampaignFiles

        func run() throws {
            try runReportingErrors {
                let jobStore = try store.openForCampaign("campaign-replies")
                let ingest = ReplyIngest(keywords: try files.keywordBook(), now: try parseTime(now, option: "--now"))
                // Every file is checked before anything is stored.
                let parsed = try from.map { try InboundFile.read(path: $0) }
                var summaries: [ReplySummary] = []
                for file in parsed { summaries.append(try ingest.ingest(file, store: jobStore)) }
                if store.json { return try printJSON(summaries) }
                for (path, summary) in zip(from, summaries) { CampaignPrinter.replies(summary, file: path) }
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Counts per state (planned, sent, delivered, failed, replied yes/no/other) by channel and language.")

        @OptionGroup var store: StoreOptions
        @Option(help: "Campaign name.") var name: String

        func run() throws {
            try runReportingErrors {
                let status = try StoreEngines.openExisting(path: store.store).campaignStatus(name)
                if store.json { return try printJSON(status) }
                CampaignPrinter.status(status)
            }
        }
    }
}
