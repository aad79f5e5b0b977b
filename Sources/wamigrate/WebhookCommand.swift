import ArgumentParser
import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// `wamigrate webhook …`: Cloud API webhooks into the job.
struct WebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Cloud API webhooks: statuses teach registration, replies and marketing stops reach the consent ledger.",
        subcommands: [Ingest.self])

    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
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
        @Argument(help: "JSON Lines files of webhook bodies as received.") var files: [String]
        @Option(help: "The time recorded for events whose body gives none, ISO 8601 (default: now).") var now: String?
        @OptionGroup var campaignFiles: CampaignFiles

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("give at least one file of webhook bodies") }
        }

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
                    "webhook bodies: \(summary.read) read, \(summary.stored) new, \(summary.redeliveries) seen before")
                print(
                    "registration from \(r.statuses) statuses: on WhatsApp \(r.onWhatsApp), not on WhatsApp \(r.notOnWhatsApp), "
                        + "unchanged \(r.noChange.values.reduce(0, +)), unmatched \(r.unmatched)")
                CampaignPrinter.replies(summary.replies, file: "replies")
                print("marketing stops \(summary.marketingStops), resumes \(summary.marketingResumes)")
            }
        }
    }
}
