import ArgumentParser
import WamigrateBase
import WamigrateCore
import WamigrateStore

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run extract → normalize → dedupe → verify → import; stages already up to date are skipped.",
        discussion: """
            Examples:
              wamigrate run --store job.sqlite --default-region DE --out out/ contacts.csv viber.csv --dry-run
              wamigrate run --store job.sqlite --config job.yml --out out/

            \(ExitCodes.stages)
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var job: JobOptions
    @OptionGroup var verify: VerifyOptions

    @Option(name: [.short, .long], help: "Folder for the contact files, the four lists and summary.json.")
    var out: String?

    @Flag(help: "Compute and write everything, but mark the run as a dry run in the store.")
    var dryRun = false

    @Flag(help: "Re-run every stage even when its inputs have not changed.")
    var force = false

    func run() throws {
        try runReportingErrors {
            var config = try job.jobConfig()
            verify.apply(to: &config.verify)
            try runStages(
                Stage.allCases, store: store, config: config, out: out, dryRun: dryRun, force: force, alwaysRun: false)
        }
    }
}

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Read the exports into the store (replaces earlier extract results).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var job: JobOptions

    func run() throws {
        try runStages([.extract], store: store, job: job)
    }
}

struct Normalize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Normalize every extracted phone cell to E.164 (replaces earlier results).",
        discussion: """
            Reads the rows extract stored; it takes no files. The job's default region is remembered from the command \
            that last gave it (run, extract or normalize): give --default-region only to change it.

            Example: wamigrate normalize --store job.sqlite
            """)
    @OptionGroup var store: StoreOptions

    @Option(
        help: "Change the job's default region for numbers without + (ISO 3166 alpha-2; default: the job's).",
        completion: .custom(Completions.regions))
    var defaultRegion: String?

    @Option(help: "Folder of mapping profiles, for country names (default: $WAMIGRATE_MAPPINGS, ./mappings, or the checkout's).")
    var mappingsDir: String?

    @Flag(
        help: ArgumentHelp(
            "Join the job's normalize as one more worker (PostgreSQL jobs): claim batches until every one is done.",
            discussion: "The coordinator is `normalize` or `run` on the same job; workers take no writer lock."))
    var worker = false

    @Option(help: "With --worker: seconds to wait for the coordinator to plan the batches.")
    var wait: Double = 60

    @Option(help: ArgumentHelp("Rows per batch (on a shared normalize, what a worker claims at a time).", visibility: .hidden))
    var batchRows = 8192

    @Option(help: "Cores to parse numbers on (one worker process each; default: every core of this machine).")
    var cores: Int?

    func validate() throws {
        try validateRegion(defaultRegion)
        if let cores, cores < 1 { throw ValidationError("--cores must be at least 1") }
        if worker, defaultRegion != nil {
            throw ValidationError("--default-region is the coordinator's: a worker follows the job's plan")
        }
    }

    func run() throws {
        try runReportingErrors {
            if worker {
                return try SharedStageWorker.normalize(store: store, mappingsDir: mappingsDir, wait: wait, cores: cores)
            }
            var config = JobConfig()
            config.defaultRegion = defaultRegion?.uppercased()
            config.mappingsDir = mappingsDir
            try runStages([.normalize], store: store, config: config, normalizeBatchRows: batchRows, cores: cores)
        }
    }
}

struct Dedupe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Merge normalized rows into one contact per number (replaces earlier results).",
        discussion: """
            On a PostgreSQL job the rows are cut by number into partitions that several connections and processes \
            merge at once: `dedupe` (or run) is the coordinator, `dedupe --worker` on this or other machines joins it.
            """)
    @OptionGroup var store: StoreOptions

    @Option(name: [.short, .long], help: "Also write the output files into this folder.")
    var out: String?

    @Flag(
        help: ArgumentHelp(
            "Join the job's dedupe as one more worker (PostgreSQL jobs): claim partitions until every one is done.",
            discussion: "The coordinator is `dedupe` or `run` on the same job; workers take no writer lock."))
    var worker = false

    @Option(help: "With --worker: seconds to wait for the coordinator to plan the partitions.")
    var wait: Double = 60

    @Option(help: ArgumentHelp("Rows per partition (what a worker claims at a time).", visibility: .hidden))
    var partitionRows = 50_000

    @Option(help: "Connections to merge on, on a PostgreSQL job (default: every core of this machine).")
    var cores: Int?

    func validate() throws {
        if let cores, cores < 1 { throw ValidationError("--cores must be at least 1") }
        if partitionRows < 1 { throw ValidationError("--partition-rows must be at least 1") }
        if worker, out != nil { throw ValidationError("--out is the coordinator's: a worker writes no files") }
    }

    func run() throws {
        try runReportingErrors {
            if worker { return try SharedStageWorker.dedupe(store: store, wait: wait, cores: cores) }
            try runStages(
                [.dedupe], store: store, config: JobConfig(), out: out, dedupePartitionRows: partitionRows, cores: cores)
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write contacts.csv, rejected_rows.csv, viber_only.csv and summary.json from the store.")
    @OptionGroup var store: StoreOptions

    @Option(name: [.short, .long], help: "Output folder.")
    var out: String

    func run() throws {
        try runStages([], store: store, job: nil, out: out)
    }
}

/// A stage named alone always re-runs and replaces its results.
func runStages(_ stages: [Stage], store: StoreOptions, job: JobOptions?, out: String? = nil) throws {
    try runReportingErrors {
        try runStages(stages, store: store, config: try job?.jobConfig() ?? JobConfig(), out: out)
    }
}

func runStages(
    _ stages: [Stage], store: StoreOptions, config: JobConfig, out: String? = nil, dryRun: Bool = false, force: Bool = false,
    alwaysRun: Bool = true, normalizeBatchRows: Int = 8192, dedupePartitionRows: Int = 50_000, cores: Int? = nil
) throws {
    defer { TemporaryInputs.removeAll() }
    let logger = store.logger()
    var options = PipelineOptions(
        storePath: store.store, outDirectory: out, config: config, dryRun: dryRun, force: force, command: commandLine)
    options.keepBackups = store.keepBackups
    options.normalizeBatchRows = max(1, normalizeBatchRows)
    options.dedupePartitionRows = max(1, dedupePartitionRows)
    if let cores { options.workers = cores }
    options.workerExecutable = ThisBinary.path
    options.checker = try CheckerFactory.make(config.verify, logger: logger)
    if !store.quiet { options.progress = TerminalProgress() }
    let summary = try Pipeline(options: options, logger: logger, openStore: StoreEngines.open).run(
        stages: stages, alwaysRun: alwaysRun)
    if store.quiet && !store.json { return }
    try SummaryPrinter.print(summary, json: store.json)
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show each stage's rows in and out, rejections by reason, whether the books balance, and a shared normalize's batches."
    )
    @OptionGroup var store: StoreOptions

    func run() throws {
        try runReportingErrors {
            let report = try StoreEngines.status(store.store)
            if store.json { try printJSON(report) } else { print(Terminal.printable(report.text)) }
            if !report.books.balanced {
                throw WamigrateError(
                    .booksUnbalanced, report.books.line, hint: "re-run the stage named; keep the store if it persists")
            }
        }
    }
}
