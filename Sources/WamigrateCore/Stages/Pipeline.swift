import Foundation
import Logging
import Phone
import WamigrateBase
import WamigrateModel

/// Everything one invocation of the pipeline needs, as a value.
public struct PipelineOptions: Sendable {
    public var storePath: String
    public var outDirectory: String?
    public var config: JobConfig
    public var dryRun: Bool
    /// Re-run every stage even when its inputs have not changed.
    public var force: Bool
    /// The command line, recorded with the run (no secrets are taken as flags).
    public var command: String
    public var workers: Int
    /// Rows per normalize batch (on a shared normalize, the unit a worker claims).
    public var normalizeBatchRows = 8192
    /// Rows per dedupe partition (on an engine several processes write at once).
    public var dedupePartitionRows = 50_000
    /// The contacts-api client, when the config asks for it (built by the caller).
    public var checker: (any RegistrationChecker)?
    public var progress: any ProgressSink = SilentProgress()
    /// Snapshots kept in `<store>.backups/` (taken before a stage replaces earlier
    /// results); 0 takes none.
    public var keepBackups = StoreBackup.defaultKeep
    /// The binary normalize starts its worker processes from (nil: threads here).
    public var workerExecutable: String?

    public init(
        storePath: String, outDirectory: String? = nil, config: JobConfig, dryRun: Bool = false, force: Bool = false,
        command: String, workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.storePath = storePath
        self.outDirectory = outDirectory
        self.config = config
        self.dryRun = dryRun
        self.force = force
        self.command = command
        self.workers = workers
    }
}

/// The machine-readable result of a run: printed with `--json`, written as summary.json.
public struct RunSummary: Codable, Sendable {
    public var runID: Int64
    public var dryRun: Bool
    public var store: String
    public var stagesRun: [String]
    public var stagesSkipped: [String]
    public var extract: ExtractReport?
    public var normalize: NormalizeReport?
    public var dedupe: DedupeReport?
    public var verify: VerifyReport?
    public var `import`: ImportReport?
    public var books: Books
    public var outputs: WrittenOutputs?
    public var seconds: Double
    public var stageSeconds: [String: Double] = [:]
    public var rowsPerSecond: Double
    public var phonenumberLibrary: String
    public var phonenumberMetadata: String
    public var toolVersion: String
}

/// Runs stages in order against one store, skipping a stage whose inputs and
/// configuration match its last completed run (so a killed run picks up where it
/// stopped), then checks the books and writes the outputs.
public struct Pipeline {
    public var options: PipelineOptions
    public var logger: Logger
    /// Opens (creating when missing) the store at a path for a command: the engine is the caller's choice.
    public var openStore: (_ path: String, _ command: String) throws -> any StageStore

    public init(
        options: PipelineOptions, logger: Logger,
        openStore: @escaping (_ path: String, _ command: String) throws -> any StageStore
    ) {
        self.options = options
        self.logger = logger
        self.openStore = openStore
    }

    public func run(stages: [Stage], alwaysRun: Bool = false) throws -> RunSummary {
        let started = Date()
        try options.config.validate()
        let catalog = MappingCatalog(directory: options.config.mappingsDir)
        // Inputs are checked before the store is opened: a bad file or flag never leaves an empty store.
        var extract = ExtractStage(sources: options.config.sources, catalog: catalog, logger: logger)
        extract.progress = options.progress
        let prepared = stages.contains(.extract) ? try extract.prepare() : []
        let store = try openStore(options.storePath, options.command)
        var options = self.options
        // The job remembers its default region: a stage run alone uses it, and a flag that
        // changes it says so (normalize's results then change with it).
        let remembered = try store.rememberedDefaultRegion()
        if let given = options.config.defaultRegion {
            if let remembered, remembered != given {
                logger.warning(
                    "the job's default region changes from \(remembered) to \(given) (remembered for the next commands)")
            }
            if remembered != given { try store.rememberDefaultRegion(given) }
        } else if let remembered {
            options.config.defaultRegion = remembered
        }
        let runID = try store.beginRun(command: options.command, dryRun: options.dryRun, configJSON: options.config.json)
        var summary = RunSummary(
            runID: runID, dryRun: options.dryRun, store: store.path, stagesRun: [], stagesSkipped: [],
            books: .empty,
            seconds: 0, rowsPerSecond: 0, phonenumberLibrary: PhoneMetadata.libraryFile,
            phonenumberMetadata: PhoneMetadata.inForce, toolVersion: ToolVersion.current)
        // Every file this run writes into --out is published together at the end.
        let outputs = options.outDirectory.map { OutputBatch.begin(folder: $0) }
        do {
            var runner = StageRunner(
                store: store, runID: runID, keepBackups: options.keepBackups, logger: logger,
                runAll: alwaysRun || options.force)
            for stage in stages {
                switch stage {
                case .extract:
                    try runner.run(PreparedExtract(extract: extract, sources: prepared), into: &summary)
                case .normalize:
                    try runner.run(
                        normalizeStage(catalog: catalog, defaultRegion: options.config.defaultRegion), into: &summary)
                case .dedupe:
                    var dedupe = DedupeStage(logger: logger)
                    dedupe.progress = options.progress
                    (dedupe.partitionRows, dedupe.threads) = (options.dedupePartitionRows, options.workers)
                    try runner.run(dedupe, into: &summary)
                case .verify:
                    try runner.run(
                        VerifyStage(
                            settings: options.config.verify, checker: options.checker, progress: options.progress,
                            logger: logger, dryRun: options.dryRun), into: &summary)
                case .import:
                    // Its list files are written at the run's end, beside the audit (below).
                    var importStage = ImportStage(outDirectory: nil, policy: options.config.consent, logger: logger)
                    importStage.progress = options.progress
                    try runner.run(importStage, into: &summary)
                }
            }
            // The import list files, and the output files and then the report's query results,
            // are read on two more connections while this one counts the books and records the
            // audit step: they only read what the stages committed, and the files are published
            // only once the run is recorded ok.
            let files = try options.outDirectory.flatMap { out in
                try store.completedFingerprint(.dedupe) == nil
                    ? nil : PipelineOutputs(directory: out) { RejectReason(rawValue: $0)?.hint }
            }
            let lists = options.outDirectory.flatMap { out in
                summary.import == nil ? nil : ImportListFiles(directory: out)
            }
            // Created here, once, not by two threads at once.
            if let out = options.outDirectory { try OutputFolder.prepare(out) }
            let reads = try RunEndReads.start(
                files, lists: lists,
                report: ReportBuilder.request(
                    masker: .masked, samplesPerGroup: ReportBuilder.defaultSamplesPerGroup, now: Clock.unixNow()),
                reader: store)
            // Whatever ends this block, the reads are finished before the folder is
            // published or discarded.
            defer { _ = try? reads.wait() }
            let auditStart = Date()
            summary.books = try store.books()
            guard summary.books.balanced else {
                _ = try? reads.wait()
                outputs?.discard()
                try store.finishRun(runID, ok: false, audit: true)
                throw WamigrateError(
                    .booksUnbalanced, summary.books.line,
                    hint: "a stage lost or doubled rows; this is a bug: keep the store and report it")
            }
            try store.finishRun(runID, ok: true, audit: true)
            summary.stageSeconds["audit"] = Date().timeIntervalSince(auditStart)
            let read = try reads.wait()
            (summary.outputs, summary.stageSeconds["outputs"]) = (read.outputs, read.outputSeconds)
            summary.stageSeconds["report_queries"] = read.reportQuerySeconds
            if let files = read.importFiles {
                summary.import?.files = files
                summary.stageSeconds["import_files"] = read.importFileSeconds
            }
            // Kept for `report`; without them it runs every query itself, so a failure here
            // costs only time.
            do {
                try store.keepReportQueries(try read.reportQueries.get())
            } catch {
                logger.warning("the report's query results were not kept: \(error)")
            }
            summary.seconds = Date().timeIntervalSince(started)
            summary.rowsPerSecond = summary.seconds > 0 ? Double(summary.books.rowsIn) / summary.seconds : 0
            // Published only once the run is recorded ok: a run that fails or is killed before
            // (its audit step included) leaves the previous outputs in place.
            if let outputs {
                try OutputFolder.prepare(outputs.folder)
                try outputs.add(try JSONEncoder.output.encode(summary), as: "summary.json")
                try outputs.publish()
            }
            return summary
        } catch let error as WamigrateError where error.code == .booksUnbalanced {
            throw error
        } catch {
            outputs?.discard()
            try? store.finishRun(runID, ok: false, audit: true)
            throw error
        }
    }

    func normalizeStage(catalog: MappingCatalog, defaultRegion: String?) -> NormalizeStage {
        var stage = NormalizeStage(
            defaultRegion: defaultRegion, countries: CountryAliases.resolver(catalog: catalog),
            workers: options.workers, logger: logger)
        stage.progress = options.progress
        stage.workerExecutable = options.workerExecutable
        stage.batchSize = options.normalizeBatchRows
        return stage
    }
}
