import Foundation
import Phone
import WamigrateBase
import WamigrateModel

/// Normalize on an engine several processes write at once (`NormalizeBatchStore`): the
/// coordinator plans the batches and works on them like any worker (`wamigrate normalize
/// --worker`, started on this or other machines, joins it), then waits for the batches others
/// hold and records the stage from their reports, merged in batch order.
extension NormalizeStage {
    func runShared(_ context: StageContext, store: any NormalizeBatchStore) throws -> NormalizeReport {
        try Self.requireCurrentPlans()
        let plan = NormalizePlan(fingerprint: context.fingerprint, defaultRegion: defaultRegion)
        var progressNow = try store.planNormalize(plan, size: batchSize)
        progress.update("normalize", done: progressNow.rowsDone, total: progressNow.rows, unit: "rows")
        let worker = Self.workerName
        let parsers = try Parsers(self)
        defer { parsers.shutdown() }
        while true {
            try work(store, worker: worker, plan: plan, parsers: parsers) { progressNow = $0 }
            if let reports = try store.normalizeBatchReports() {
                progress.finish("normalize")
                let report = try Self.merged(reports)
                try store.finishNormalize(
                    context: context, rowsIn: report.rows, rowsOut: report.ok + report.viberOnly, report: report)
                logger.info(
                    "normalize: \(report.ok) numbers, \(report.viberOnly) Viber-only, \(report.rows - report.ok - report.viberOnly) rejected, by \(progressNow.workers.count) workers"
                )
                return report
            }
            // Others hold the rest; a batch a killed worker held is free again at once.
            Thread.sleep(forTimeInterval: 0.2)
        }
    }

    /// One worker (`normalize --worker`): joins the job's unfinished normalize, the one planned
    /// when it starts or within `waitForPlan` seconds, and follows it until every batch is done
    /// (a plan replaced meanwhile is followed too). It joins only a plan it would normalize
    /// alike: the extract it reads and its build, numbering plans and rules must give the
    /// plan's fingerprint, checked anew at every poll (extract may still be running when the
    /// worker starts); another is refused once the wait is over.
    public func runWorker(store: any NormalizeBatchStore & PipelineStore, waitForPlan: TimeInterval) throws
        -> BatchProgress
    {
        try Self.requireCurrentPlans()
        let deadline = Date().addingTimeInterval(waitForPlan)
        var parsers: Parsers?
        defer { parsers?.shutdown() }
        var joined = false
        while true {
            let now = try store.normalizeProgress()
            let plan = try store.normalizePlan()
            if let plan, !now.finished {
                var stage = self
                stage.defaultRegion = plan.defaultRegion
                if stage.fingerprint(upstream: try store.completedFingerprint(.extract)) == plan.fingerprint {
                    if parsers == nil { parsers = try Parsers(stage) }
                    joined = true
                    try stage.work(store, worker: Self.workerName, plan: plan, parsers: parsers!) { _ in }
                } else if Date() >= deadline {
                    throw WamigrateError(
                        .worker,
                        "this worker would normalize differently from the job's plan (another wamigrate build, numbering plans or inputs)",
                        hint: "run the same wamigrate build as the coordinator (`wamigrate --version` on both)")
                }
            } else if joined || Date() >= deadline {
                guard joined || plan != nil else {
                    throw WamigrateError(
                        .worker, "no normalize is planned on this job",
                        hint: "start `wamigrate normalize` (or run) on the job first; --wait gives it time")
                }
                return now
            }
            Thread.sleep(forTimeInterval: joined ? 0.2 : 0.5)
        }
    }

    /// Claims and normalizes batches until none is free to claim.
    private func work(
        _ store: any NormalizeBatchStore, worker: String, plan: NormalizePlan, parsers: Parsers,
        progressed: (BatchProgress) -> Void
    ) throws {
        let (pool, normalizers, parts) = (parsers.pool, parsers.normalizers, parsers.parts)
        var sources: [Int64: SourceFacts]?
        while try store.normalizeNextBatch(
            worker: worker, plan: plan,
            { cells, tables in
                let facts = try sources ?? Self.sourceFacts(try tables.sources())
                sources = facts
                var report = NormalizeReport()
                let rows = try process(cells, parts: parts, sources: facts) { requests, part in
                    if let pool { return try pool.normalize(requests, part: part) }
                    return requests.map {
                        normalizers[part].normalize($0.phone, region: $0.region, format: $0.format, columnDigits: $0.columnDigits)
                    }
                }
                for row in rows { try write(row, into: tables, report: &report) }
                let nowCalls = pool?.libraryCalls ?? normalizers.reduce(0) { $0 + $1.libraryCalls }
                let nowHits = pool?.cacheHits ?? normalizers.reduce(0) { $0 + $1.cacheHits }
                (report.libraryCalls, report.cacheHits) = (nowCalls - parsers.counted.calls, nowHits - parsers.counted.hits)
                parsers.counted = (nowCalls, nowHits)
                return try JSONEncoder.sorted.encode(report)
            })
        {
            let now = try store.normalizeProgress()
            progress.update("normalize", done: now.rowsDone, total: now.rows, unit: "rows")
            progressed(now)
        }
    }

    /// `host:pid`: which worker did a batch.
    public static var workerName: String { "\(ProcessInfo.processInfo.hostName):\(getpid())" }

    /// The batches' reports as one, in batch order (the unknown countries kept as a single run
    /// would keep them, up to `unknownCountryLimit` values, the rest under "(other)").
    static func merged(_ reports: [Data]) throws -> NormalizeReport {
        var total = NormalizeReport()
        for data in reports {
            let part = try JSONDecoder().decode(NormalizeReport.self, from: data)
            total.rows += part.rows
            total.ok += part.ok
            total.viberOnly += part.viberOnly
            total.libraryCalls += part.libraryCalls
            total.cacheHits += part.cacheHits
            total.rejected.merge(part.rejected, uniquingKeysWith: +)
            total.flags.merge(part.flags, uniquingKeysWith: +)
            total.regionSources.merge(part.regionSources, uniquingKeysWith: +)
            total.numberTypes.merge(part.numberTypes, uniquingKeysWith: +)
            total.ambiguous?.merge(part.ambiguous ?? [:], uniquingKeysWith: +)
            total.review?.merge(part.review ?? [:], uniquingKeysWith: +)
            for (country, count) in (part.unknownCountries ?? [:]).sorted(by: { $0.key < $1.key }) {
                let known = total.unknownCountries?[country] != nil
                let room = (total.unknownCountries?.count ?? 0) < unknownCountryLimit
                total.unknownCountries?[known || room ? country : "(other)", default: 0] += count
            }
        }
        return total
    }
}

/// The parsers one worker process keeps for its whole share of the job: worker processes
/// (every core) or, without an executable to start, one normalizer per thread.
final class Parsers {
    let pool: NormalizeWorkerPool?
    let normalizers: [PhoneNormalizer]
    var parts: Int { pool?.count ?? normalizers.count }
    /// Library calls and cache hits already counted in a batch's report.
    var counted = (calls: 0, hits: 0)

    init(_ stage: NormalizeStage) throws {
        pool = try stage.workerExecutable.flatMap {
            stage.workers > 1 ? try NormalizeWorkerPool(executable: $0, count: stage.workers) : nil
        }
        normalizers = pool == nil ? (0..<stage.workers).map { _ in PhoneNormalizer() } : []
    }

    func shutdown() { pool?.shutdown() }
}
