import ArgumentParser
import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateModel
import WamigratePostgres

/// `normalize --worker` and `dedupe --worker`: one more worker on a job's shared stage.
enum SharedStageWorker {
    static func normalize(store options: StoreOptions, mappingsDir: String?, wait: Double, cores: Int?) throws {
        let store = try open(options, stage: "normalize", wait: wait)
        var stage = NormalizeStage(
            defaultRegion: nil, countries: CountryAliases.resolver(catalog: MappingCatalog(directory: mappingsDir)),
            workers: cores ?? ProcessInfo.processInfo.activeProcessorCount, logger: options.logger())
        stage.workerExecutable = ThisBinary.path
        if !options.quiet { stage.progress = TerminalProgress() }
        let progress = try stage.runWorker(store: store, waitForPlan: wait)
        try report(progress, options: options, stage: "normalize", unit: "batches")
    }

    static func dedupe(store options: StoreOptions, wait: Double, cores: Int?) throws {
        let store = try open(options, stage: "dedupe", wait: wait)
        var stage = DedupeStage(logger: options.logger())
        stage.threads = cores ?? ProcessInfo.processInfo.activeProcessorCount
        if !options.quiet { stage.progress = TerminalProgress() }
        let progress = try stage.runWorker(store: store, waitForPlan: wait)
        try report(progress, options: options, stage: "dedupe", unit: "partitions")
    }

    /// The job, once its tables exist: a worker may start before the coordinator made them.
    private static func open(_ options: StoreOptions, stage: String, wait: Double) throws
        -> any NormalizeBatchStore & DedupePartitionStore & PipelineStore
    {
        guard let address = PostgresAddress(options.store) else {
            throw WamigrateError(
                .usage, "--worker needs a PostgreSQL job store: a SQLite job has one writer, `\(stage)` alone",
                hint: "run `wamigrate \(stage) --store \(options.store)` (it uses every core)")
        }
        let deadline = Date().addingTimeInterval(wait)
        while true {
            do {
                return try StoreEngines.openToWork(address)
            } catch let error as WamigrateError where error.code == .store && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    private static func report(_ progress: BatchProgress, options: StoreOptions, stage: String, unit: String) throws {
        let mine = progress.workers[NormalizeStage.workerName] ?? 0
        if options.json { return try printJSON(progress) }
        if !options.quiet {
            print(
                "\(stage) worker: \(mine) of \(progress.batches) \(unit); all \(progress.rows) rows done by \(progress.workers.count) workers"
            )
        }
    }
}
