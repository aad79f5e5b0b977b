import ArgumentParser
import Foundation
import HTTPServing
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateStore
import WebhookReceiver

/// `wamigrate webhook …`: Cloud API webhooks into the job.
struct WebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Cloud API webhooks: statuses teach registration, replies and marketing stops reach the consent ledger.",
        subcommands: [Serve.self, Ingest.self])

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Receive Cloud API webhooks: verify, keep every signed body before answering 200, process into the job.",
            discussion: """
                Answers Meta's GET verification (hub.mode=subscribe, hub.verify_token, hub.challenge) on / and /webhook. \
                Every POST must carry X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret): a bad or \
                missing one gets 401 and nothing is kept. A good body is appended to <store>.webhooks.sqlite (append-only) \
                and then answered 200; a processor moves it into the job store (statuses → wave messages and registration, \
                replies and marketing stops → the consent ledger, template updates → template records) whenever no other \
                command is writing the store; commands that write it (wave send, webhook ingest) take in the spool \
                themselves. On a PostgreSQL job (--store postgres://…) the body goes straight into the job's inbox, \
                several receivers may serve one job, and processing passes take turns. Prints its URL once listening; stops cleanly on SIGINT or SIGTERM after a last pass. Binds \
                loopback unless --host says otherwise (put a TLS reverse proxy in front for Meta). A connection idle \
                (or stalled in its headers) for --idle-timeout seconds is closed; at most --max-connections are open, \
                more wait to be accepted; a body over 4 MiB gets 413 and its connection is closed. A port in use or \
                an address not on this machine is refused with exit 64.

                Example: WA_APP_SECRET=… WA_VERIFY_TOKEN=… wamigrate webhook serve --store job.sqlite --port 8443 \
                --app-secret-env WA_APP_SECRET --verify-token-env WA_VERIFY_TOKEN
                """)

        @Option(help: "The job store: a SQLite file made by wamigrate, or a PostgreSQL database's URL.") var store: String
        @Option(help: "Port to listen on; 0 picks a free one.") var port = 0
        @Option(help: "Address to bind: loopback unless you put a proxy you control in front (then 0.0.0.0).")
        var host = "127.0.0.1"
        @Option(help: "Variable holding the app secret that signs webhook bodies.") var appSecretEnv: String
        @Option(help: "Variable holding the verify token set in the app's webhook settings.") var verifyTokenEnv: String
        @Option(help: "Seconds between processing passes into the job store.") var processEvery = 0.5
        @Option(help: "Seconds after which an idle connection, or one stalled in its headers, is closed.")
        var idleTimeout = 15.0
        @Option(help: "Connections open at once; more wait to be accepted.") var maxConnections = 200
        @Flag(help: "Print the summary as JSON on stdout when stopping.") var json = false
        @OptionGroup var campaignFiles: CampaignFiles

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("port must be 0 to 65535") }
            guard processEvery > 0, processEvery <= 60 else { throw ValidationError("--process-every must be 0 to 60 s") }
            guard idleTimeout > 0, idleTimeout <= 3600 else { throw ValidationError("--idle-timeout must be 0 to 3600 s") }
            guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        }

        func run() async throws {
            try await runReportingErrorsAsync {
                let secret = try SecretVariable.value(appSecretEnv, hint: "export it with the app secret")
                let token = try SecretVariable.value(verifyTokenEnv, hint: "export it with the verify token")
                // The job store must exist (and be upgraded) before bodies are taken for it.
                _ = try StoreEngines.openJob(path: store, command: StoreLock.briefHolder, sender: true)
                var configuration = WebhookReceiver.Configuration(
                    store: store, appSecret: Data(secret.utf8), verifyToken: token, keywords: try campaignFiles.keywordBook(),
                    openStore: { try StoreEngines.openJob(path: $0, command: $1, sender: true) },
                    openSpool: { try StoreEngines.openSpool(store: $0) })
                configuration.host = host
                configuration.port = port
                configuration.processEvery = processEvery
                configuration.policy = ServerPolicy(idleSeconds: idleTimeout, maxConnections: maxConnections)
                LoggingBootstrap.once
                var logger = Logger(label: "wamigrate.webhook")
                logger.logLevel = .warning
                let shown = host.contains(":") ? "[\(host)]" : host
                let summary = try await WebhookReceiver(configuration: configuration).run(
                    handleSignals: true, logger: logger
                ) { port in
                    print("http://\(shown):\(port)/webhook")
                    fflush(stdout)
                }
                if json { return try printJSON(summary) }
                let p = summary.processing
                print(
                    "webhook serve: \(summary.stored) bodies kept, \(summary.redeliveries) redeliveries, "
                        + "\(summary.refused) refused (bad signature); processed \(p.processed): on WhatsApp "
                        + "\(p.registration.onWhatsApp), not on WhatsApp \(p.registration.notOnWhatsApp), marketing stops "
                        + "\(p.marketingStops), template updates \(p.templateUpdates)")
            }
        }
    }

    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest",
            abstract: "Replay saved webhook bodies (JSON Lines, one raw body per line) into the store.",
            discussion: """
                Each body is kept raw in the store's append-only inbox (the same bytes twice are kept once). Then, from
                every body kept: delivered/read statuses mark the number on WhatsApp with its wa_id (and BSUID);
                131026 is evidence, and two different messages failing with it make "not on WhatsApp". New bodies'
                messages and button replies go through the keyword book into the ledger (STOP → opt-out), and
                user_preferences marketing stops become marketing opt-outs. Run `import` afterwards to move people
                between lists. Running it again on the same file changes nothing.

                Example: wamigrate webhook ingest --store job.sqlite webhooks.jsonl
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "JSON Lines files of webhook bodies as received (none: take in what `webhook serve` spooled).")
        var files: [String] = []
        @Option(help: "The time recorded for events whose body gives none, ISO 8601 (default: now).") var now: String?
        @OptionGroup var campaignFiles: CampaignFiles

        func run() throws {
            try runReportingErrors {
                // Every file is checked before the store is opened.
                let bodies = try files.flatMap { try WebhookIngest.read(path: $0) }
                let jobStore = try store.openForCampaign("webhook-ingest")
                let ingest = WebhookIngest(
                    keywords: try campaignFiles.keywordBook(), now: try parseTime(now, option: "--now"))
                let summary = try ingest.ingest(bodies, store: jobStore)
                if store.json { return try printJSON(summary) }
                let r = summary.registration
                print(
                    "webhook bodies: \(summary.read) read, \(summary.stored) new, \(summary.redeliveries) seen before; "
                        + "\(summary.fromReceiver) from the receiver's spool; \(summary.processed) processed"
                        + (summary.unreadable > 0 ? ", \(summary.unreadable) not webhook JSON (kept raw)" : ""))
                print(
                    "registration from \(r.statuses) statuses: on WhatsApp \(r.onWhatsApp), not on WhatsApp \(r.notOnWhatsApp), "
                        + "unchanged \(r.noChange.values.reduce(0, +)), unmatched \(r.unmatched)")
                CampaignPrinter.replies(summary.replies, file: "replies")
                print("marketing stops \(summary.marketingStops), resumes \(summary.marketingResumes)")
            }
        }
    }
}
