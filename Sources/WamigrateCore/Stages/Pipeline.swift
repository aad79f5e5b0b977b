import Foundation
import GRDB
import Logging
import Phone

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
    public var outputs: OutputWriter.Written?
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

    public init(options: PipelineOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run(stages: [Stage], alwaysRun: Bool = false) throws -> RunSummary {
        let started = Date()
        try options.config.validate()
        let catalog = MappingCatalog(directory: options.config.mappingsDir)
        // Inputs are checked before the store is opened: a bad file or flag never leaves an empty store.
        var extract = ExtractStage(sources: options.config.sources, catalog: catalog, logger: logger)
        extract.progress = options.progress
        let prepared = stages.contains(.extract) ? try extract.prepare() : []
        let store = try JobStore(path: options.storePath, command: options.command)
        let runID = try store.beginRun(command: options.command, dryRun: options.dryRun, configJSON: options.config.json)
        var summary = RunSummary(
            runID: runID, dryRun: options.dryRun, store: options.storePath, stagesRun: [], stagesSkipped: [],
            books: Books(rowsIn: 0, kept: 0, merged: 0, rejected: 0, pending: 0, unaccounted: 0, balanced: true),
            seconds: 0, rowsPerSecond: 0, phonenumberLibrary: PhoneMetadata.libraryFile,
            phonenumberMetadata: PhoneMetadata.fingerprint, toolVersion: ToolVersion.current)
        // Every file this run writes into --out is published together at the end.
        let outputs = options.outDirectory.map { OutputBatch.begin(folder: $0) }
        do {
            var upstreamChanged = alwaysRun || options.force
            var backedUp = false
            for stage in stages {
                let skip =
                    try !upstreamChanged && upToDate(stage, store: store, extractFingerprint: extract.fingerprint(prepared))
                if skip {
                    summary.stagesSkipped.append(stage.rawValue)
                    logger.info("\(stage.rawValue): up to date, skipped")
                    try loadReport(stage, store: store, into: &summary)
                    continue
                }
                upstreamChanged = true
                if !backedUp, options.keepBackups > 0, try store.hasResults(from: stage) {
                    let backupStart = Date()
                    if let backup = try StoreBackup.takeIfChanged(
                        store, reason: "before-\(stage.rawValue)", keep: options.keepBackups, excludingRun: runID)
                    {
                        summary.stageSeconds["backup"] = Date().timeIntervalSince(backupStart)
                        logger.info("backed up the store before \(stage.rawValue) replaces its results: \(backup.file)")
                    }
                    backedUp = true
                }
                summary.stagesRun.append(stage.rawValue)
                let stageStart = Date()
                defer { summary.stageSeconds[stage.rawValue] = Date().timeIntervalSince(stageStart) }
                switch stage {
                case .extract:
                    summary.extract = try extract.run(prepared, store: store, runID: runID)
                case .normalize:
                    summary.normalize = try normalizeStage(catalog: catalog).run(store: store, runID: runID)
                case .dedupe:
                    var dedupe = DedupeStage(logger: logger)
                    dedupe.progress = options.progress
                    summary.dedupe = try dedupe.run(store: store, runID: runID)
                case .verify:
                    summary.verify = try VerifyStage(
                        settings: options.config.verify, checker: options.checker, progress: options.progress,
                        logger: logger, dryRun: options.dryRun
                    ).run(store: store, runID: runID)
                case .import:
                    var importStage = ImportStage(
                        outDirectory: options.outDirectory, policy: options.config.consent, logger: logger)
                    importStage.progress = options.progress
                    summary.import = try importStage.run(store: store, runID: runID)
                }
            }
            summary.books = try store.read { try Books.compute($0) }
            if let out = options.outDirectory, try store.completedFingerprint(.dedupe) != nil {
                let outputsStart = Date()
                summary.outputs = try OutputWriter(directory: out).write(store: store)
                summary.stageSeconds["outputs"] = Date().timeIntervalSince(outputsStart)
            }
            summary.seconds = Date().timeIntervalSince(started)
            summary.rowsPerSecond = summary.seconds > 0 ? Double(summary.books.rowsIn) / summary.seconds : 0
            if let outputs {
                try OutputFolder.prepare(outputs.folder)
                try outputs.add(try JSONEncoder.pretty.encode(summary), as: "summary.json")
                try outputs.publish()
            }
            guard summary.books.balanced else {
                try store.finishRun(runID, ok: false)
                throw WamigrateError(
                    .booksUnbalanced, summary.books.line,
                    hint: "a stage lost or doubled rows; this is a bug: keep the store and report it")
            }
            let auditStart = Date()
            try store.finishRun(runID, ok: true)
            summary.stageSeconds["audit"] = Date().timeIntervalSince(auditStart)
            return summary
        } catch let error as WamigrateError where error.code == .booksUnbalanced {
            throw error
        } catch {
            outputs?.discard()
            try? store.finishRun(runID, ok: false)
            throw error
        }
    }

    func normalizeStage(catalog: MappingCatalog) -> NormalizeStage {
        var stage = NormalizeStage(
            defaultRegion: options.config.defaultRegion, countries: CountryAliases.resolver(catalog: catalog),
            workers: options.workers, logger: logger)
        stage.progress = options.progress
        stage.workerExecutable = options.workerExecutable
        return stage
    }

    /// True when the stage's last completed run came from the same inputs and settings.
    private func upToDate(_ stage: Stage, store: JobStore, extractFingerprint: @autoclosure () -> String) throws -> Bool {
        guard let done = try store.completedFingerprint(stage) else { return false }
        switch stage {
        case .extract:
            return extractFingerprint() == done
        case .normalize:
            guard let upstream = try store.completedFingerprint(.extract) else { return false }
            return NormalizeStage.fingerprint(upstream: upstream, defaultRegion: options.config.defaultRegion?.uppercased())
                == done
        case .dedupe:
            return try store.completedFingerprint(.normalize) != nil
        case .verify, .import:
            return false  // incremental: cached answers are reused, so running again costs no checks
        }
    }

    private func loadReport(_ stage: Stage, store: JobStore, into summary: inout RunSummary) throws {
        let json = try store.read { db in
            try String.fetchOne(
                db, sql: "SELECT details_json FROM stage_runs WHERE stage = ? ORDER BY id DESC LIMIT 1",
                arguments: [stage.rawValue])
        }
        guard let data = json?.data(using: .utf8) else { return }
        let decoder = JSONDecoder()
        switch stage {
        case .extract: summary.extract = try? decoder.decode(ExtractReport.self, from: data)
        case .normalize: summary.normalize = try? decoder.decode(NormalizeReport.self, from: data)
        case .dedupe: summary.dedupe = try? decoder.decode(DedupeReport.self, from: data)
        case .verify: summary.verify = try? decoder.decode(VerifyReport.self, from: data)
        case .import: summary.import = try? decoder.decode(ImportReport.self, from: data)
        }
    }
}
