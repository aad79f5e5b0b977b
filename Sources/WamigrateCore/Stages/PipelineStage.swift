import Crypto
import Foundation
import Logging
import WamigrateBase
import WamigrateModel

/// One pipeline stage as `StageRunner` drives it: which stage it is, the
/// fingerprint of its inputs and settings, and its work, done in the store's
/// transactions and finished with `StageContext.complete` in the last of them.
public protocol PipelineStage {
    associatedtype Report: Codable & Sendable
    static var stage: Stage { get }
    /// Where its report goes in the run's summary.
    static var summaryField: WritableKeyPath<RunSummary, Report?> { get }
    /// Incremental stages run every time (their answers are cached, so running again
    /// costs nothing); the others are skipped when their last completed run had the
    /// same fingerprint and nothing before them ran.
    static var incremental: Bool { get }
    /// Its inputs and settings; `upstream` is the previous stage's completed fingerprint.
    func fingerprint(upstream: String?) -> String
    func run(_ context: StageContext) throws -> Report
}

extension PipelineStage {
    public static var incremental: Bool { false }

    /// This stage alone, as `StageRunner` would run it (the order check, then `run`),
    /// for callers outside a pipeline run such as the verify benchmark.
    public func runAlone(store: any StageStore, runID: Int64) throws -> Report {
        let upstream = try StageRunner.upstream(of: Self.stage, in: store)
        return try run(StageContext(store: store, runID: runID, fingerprint: fingerprint(upstream: upstream)))
    }

    /// SHA-256 hex of the parts joined by `|`: how every stage's fingerprint is made.
    static func digest(_ parts: String...) -> String {
        Hex.string(SHA256.hash(data: Data(parts.joined(separator: "|").utf8)))
    }
}

/// Runs a run's stages in order: checks that each has what it needs, skips one
/// that is up to date (loading its last report), backs the store up once before
/// the first stage that replaces earlier results, and times each stage.
struct StageRunner {
    let store: any StageStore
    let runID: Int64
    let keepBackups: Int
    let logger: Logger
    /// Once a stage runs, every later one runs too (its inputs changed).
    var upstreamChanged: Bool
    private var backedUp = false

    init(store: any StageStore, runID: Int64, keepBackups: Int, logger: Logger, runAll: Bool) {
        self.store = store
        self.runID = runID
        self.keepBackups = keepBackups
        self.logger = logger
        self.upstreamChanged = runAll
    }

    mutating func run<S: PipelineStage>(_ stage: S, into summary: inout RunSummary) throws {
        let id = S.stage
        let fingerprint = stage.fingerprint(upstream: try Self.upstream(of: id, in: store))
        if !upstreamChanged, !S.incremental, try store.completedFingerprint(id) == fingerprint {
            summary.stagesSkipped.append(id.rawValue)
            logger.info("\(id.rawValue): up to date, skipped")
            summary[keyPath: S.summaryField] = try store.lastReport(id, as: S.Report.self)
            return
        }
        upstreamChanged = true
        try backUpOnce(before: id, into: &summary)
        summary.stagesRun.append(id.rawValue)
        let start = Date()
        defer { summary.stageSeconds[id.rawValue] = Date().timeIntervalSince(start) }
        summary[keyPath: S.summaryField] = try stage.run(
            StageContext(store: store, runID: runID, fingerprint: fingerprint))
    }

    /// The previous stage's completed fingerprint; an error naming the command to run
    /// when it has not completed since it was last cleared.
    static func upstream(of stage: Stage, in store: any StageStore) throws -> String? {
        guard let previous = stage.previous else { return nil }
        guard let done = try store.completedFingerprint(previous) else { throw stage.orderError }
        return done
    }

    private mutating func backUpOnce(before stage: Stage, into summary: inout RunSummary) throws {
        guard !backedUp, keepBackups > 0, try store.hasResults(from: stage) else { return }
        let start = Date()
        if let backup = try store.backUpIfChanged(
            reason: "before-\(stage.rawValue)", keep: keepBackups, excludingRun: runID)
        {
            summary.stageSeconds["backup"] = Date().timeIntervalSince(start)
            logger.info("backed up the store before \(stage.rawValue) replaces its results: \(backup.file)")
        }
        backedUp = true
    }
}

extension Stage {
    /// The stage whose results this one reads.
    var previous: Stage? { index == 0 ? nil : Self.allCases[index - 1] }

    /// Said when `previous` has not completed since it was last cleared.
    var orderError: WamigrateError {
        switch self {
        case .extract:
            WamigrateError(.stageOrder, "extract has no previous stage", hint: "this is a bug; report it")
        case .normalize:
            WamigrateError(
                .stageOrder, "normalize needs extracted rows, and extract has not run on this store",
                hint: "run `wamigrate extract` (or `wamigrate run`) first")
        case .dedupe:
            WamigrateError(
                .stageOrder, "dedupe needs normalized rows, and normalize has not run since the last extract",
                hint: "run `wamigrate normalize` (or `wamigrate run`) first")
        case .verify:
            WamigrateError(
                .stageOrder, "verify needs contacts, and dedupe has not run since the last normalize",
                hint: "run `wamigrate dedupe` (or `wamigrate run`) first")
        case .import:
            WamigrateError(
                .stageOrder, "import needs verify to have run since the last dedupe",
                hint: "run `wamigrate verify` first (`--verifier none` records every status as unknown)")
        }
    }
}
