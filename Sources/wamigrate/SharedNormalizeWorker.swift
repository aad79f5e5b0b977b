import ArgumentParser
import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateModel
import WamigratePostgres

/// `normalize --worker`: one more worker on a job's shared normalize.
enum SharedNormalizeWorker {
    static func run(store options: StoreOptions, mappingsDir: String?, wait: Double, cores: Int?) throws {
        let logger = options.logger()
        guard let address = PostgresAddress(options.store) else {
            throw WamigrateError(
                .usage, "--worker needs a PostgreSQL job store: a SQLite job has one writer, `normalize` alone",
                hint: "run `wamigrate normalize --store \(options.store)` (it uses every core)")
        }
        // A worker may start before the coordinator made the job's tables: it waits for them too.
        let deadline = Date().addingTimeInterval(wait)
        var opened: (any NormalizeBatchStore & PipelineStore)?
        while opened == nil {
            do {
                opened = try StoreEngines.openToWork(address)
            } catch let error as WamigrateError where error.code == .store && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        let store = opened!
        var stage = NormalizeStage(
            defaultRegion: nil, countries: CountryAliases.resolver(catalog: MappingCatalog(directory: mappingsDir)),
            workers: cores ?? ProcessInfo.processInfo.activeProcessorCount, logger: logger)
        stage.workerExecutable = ThisBinary.path
        if !options.quiet { stage.progress = TerminalProgress() }
        let progress = try stage.runWorker(store: store, waitForPlan: wait)
        let mine = progress.workers[NormalizeStage.workerName] ?? 0
        if options.json { return try printJSON(progress) }
        if !options.quiet {
            print(
                "normalize worker: \(mine) of \(progress.batches) batches; all \(progress.rows) rows normalized by \(progress.workers.count) workers"
            )
        }
    }
}
