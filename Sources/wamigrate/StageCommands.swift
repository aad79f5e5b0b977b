import ArgumentParser
import WamigrateCore

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Record each contact's WhatsApp status (batches of at most 1000; resumes; reuses fresh answers).",
        discussion: """
            Example: WA_PASSWORD=… wamigrate verify --store job.sqlite --verifier contacts-api \\
            --endpoint https://waba.example.com --user admin --password-env WA_PASSWORD --budget 50000

            \(ExitCodes.verify)
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var verify: VerifyOptions

    @Option(help: "A job config file (YAML) whose verify: section applies; flags override it.")
    var config: String?

    @Flag(help: "Plan the checks and test the budget, but send nothing.")
    var dryRun = false

    func run() throws {
        try runReportingErrors {
            var config = try config.map(JobConfig.load(path:)) ?? JobConfig()
            verify.apply(to: &config.verify)
            try runStages([.verify], store: store, config: config, dryRun: dryRun)
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Split contacts into whatsapp_ready / reconsent / unreachable / rejected (CSV and JSON Lines).")
    @OptionGroup var store: StoreOptions

    @Option(name: [.short, .long], help: "Folder for the list files.")
    var out: String?

    @OptionGroup var policy: PolicyOptions

    func run() throws {
        try runReportingErrors {
            try runStages([.import], store: store, config: JobConfig(consent: try policy.policy()), out: out)
        }
    }
}
