import ArgumentParser
import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// How people appear in what a command prints: masked unless asked.
struct MaskingOptions: ParsableArguments {
    @Flag(help: "Show numbers, names and emails in full (the output says so).")
    var unmasked = false

    @Option(help: "Show numbers as HMAC-SHA256 hashes keyed by this environment variable, so two outputs join.")
    var hashKeyEnv: String?

    func masker() throws -> Masker { try Masker.from(unmasked: unmasked, hashKeyEnv: hashKeyEnv) }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the auditor's report of the store's last run: report.html (self-contained), report.json, report.md.",
        discussion: """
            Every figure names the SQL query that recomputes it from the store. The report is refused \
            (exit 3) when the books do not balance.

            Example: wamigrate report --store job.sqlite --out out/report/

            \(ExitCodes.report)
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var masking: MaskingOptions

    @Option(name: [.short, .long], help: "Output folder.")
    var out: String

    @Option(help: "WhatsApp price table (default: mappings/whatsapp/prices.yml).")
    var prices: String?

    @Option(help: "Folder of mappings (default: $WAMIGRATE_MAPPINGS, ./mappings, or the checkout's).")
    var mappingsDir: String?

    @Flag(
        help: "Run every query now, using none of the results the run kept (for a store changed outside the tool).")
    var fresh = false

    func run() throws {
        try runReportingErrors {
            let pricesFile = try prices ?? mappingsFile("whatsapp/prices.yml", directory: mappingsDir)
            var builder = ReportBuilder(
                masker: try masking.masker(), prices: try WhatsAppPrices.load(path: pricesFile), pricesFile: pricesFile)
            builder.keptResults = !fresh
            let report = try builder.build(store: try StoreEngines.openToAudit(path: store.store))
            let written = try ReportWriter.write(report, to: out)
            if store.json { return try printJSON(report) }
            print(report.books.line)
            print(
                "\(report.queries.fromKeptResults) of \(report.queries.asked) queries answered by results the run kept "
                    + "(every table they read unchanged since); the others ran now")
            print("report of the job as of run #\(report.run.id)\(report.run.dryRun ? " (dry run)" : ""), \(report.masking):")
            for path in written { print("  \(path)") }
        }
    }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between two runs of the same job: contacts added, removed, changed and moved between lists.")

    @Argument(help: "The earlier run's id (see `wamigrate status` or the report).") var from: Int64
    @Argument(help: "The later run's id.") var to: Int64
    @OptionGroup var store: StoreOptions

    @Option(help: "Contacts shown per kind of change.")
    var sample = 5

    func run() throws {
        try runReportingErrors {
            let diff = try StoreEngines.openToAudit(path: store.store).diff(
                from: from, to: to, sample: sample, masker: .masked)
            if store.json { return try printJSON(diff) }
            print(Terminal.printable(diff.text))
        }
    }
}

/// A file under the mappings folder.
func mappingsFile(_ name: String, directory: String?) throws -> String {
    guard let folder = MappingCatalog(directory: directory).directory else {
        throw WamigrateError(
            .config, "no mappings folder found for \(name)", hint: "pass --mappings-dir or set WAMIGRATE_MAPPINGS")
    }
    return "\(folder)/\(name)"
}

struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Explain one contact's fate: source rows, normalization, merge rules, WhatsApp check, list, consent, messages.")

    @Argument(help: "A number (+49 151 2345 6789), a contact id, viber:<user id>, or file:record (sms.csv:12).")
    var lookup: String
    @OptionGroup var store: StoreOptions
    @OptionGroup var policy: PolicyOptions
    @OptionGroup var masking: MaskingOptions

    func run() throws {
        try runReportingErrors {
            let trace = try StoreEngines.openToAudit(path: store.store).trace(
                lookup: lookup, policy: try policy.policy(), masker: try masking.masker())
            if store.json { return try printJSON(trace) }
            TracePrinter.print(trace)
        }
    }
}
