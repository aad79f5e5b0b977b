import Crypto
import Foundation
import Logging
import WamigrateBase
import WamigrateModel

/// verify: records each contact's WhatsApp status through the configured
/// verifier, then merges contacts that share a wa_id. Checks are incremental:
/// fresh answers are reused and interrupted batches resumed, so running verify
/// again only asks about what is not known yet.
public struct VerifyStage: PipelineStage {
    public static let stage = Stage.verify
    public static let summaryField = \RunSummary.verify
    /// Answers are cached: running again costs no checks.
    public static let incremental = true

    public var settings: VerifySettings
    /// The remote checker for `contacts-api` (built by the caller from the settings).
    public var checker: (any RegistrationChecker)?
    public var progress: any ProgressSink
    public var logger: Logger
    public var now: @Sendable () -> Date
    /// Plan and check the budget, but send nothing.
    public var dryRun: Bool

    public init(
        settings: VerifySettings, checker: (any RegistrationChecker)?, progress: any ProgressSink = SilentProgress(),
        logger: Logger, dryRun: Bool = false, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.dryRun = dryRun
        self.settings = settings
        self.checker = checker
        self.progress = progress
        self.logger = logger
        self.now = now
    }

    public func fingerprint(upstream: String?) -> String {
        Self.digest(upstream ?? "", "verify", settings.verifier.rawValue, ToolVersion.current)
    }

    public func run(_ context: StageContext) throws -> VerifyReport {
        let (store, runID) = (context.store, context.runID)
        try settings.validate()
        try store.clearImportLists()
        var report = VerifyReport(verifier: settings.verifier.rawValue)
        switch settings.verifier {
        case .none:
            logger.info("verify: no verifier configured; statuses stay unknown")
        case .deliveryReport:
            guard let evidence = store as? any DeliveryEvidenceStore else { throw Self.unsupported(store, settings) }
            report.deliveryReport = try DeliveryReportIngest(files: settings.reports).run(store: evidence)
        case .contactsAPI:
            guard let checker else {
                throw WamigrateError(.config, "the contacts-api verifier has no client", hint: "this is a bug; report it")
            }
            guard let batches = store as? any VerifyBatchStore else { throw Self.unsupported(store, settings) }
            try ContactsVerification(
                settings: settings, checker: checker, progress: progress, logger: logger, dryRun: dryRun, now: now
            ).run(store: batches, runID: runID, report: &report)
        }
        try store.finishVerify(
            context: context, report: &report, merge: { Survivorship(priorities: $0).merge($1) },
            apply: { report, totals in
                report.waIDMerges = totals.waIDMerges
                report.statuses = totals.statuses
                report.waIDDiffers = totals.waIDDiffers
            })
        if report.waIDMerges > 0 { logger.info("verify: merged \(report.waIDMerges) contacts that share a wa_id") }
        return report
    }

    /// A verifier whose evidence this store engine does not keep yet.
    static func unsupported(_ store: any StageStore, _ settings: VerifySettings) -> WamigrateError {
        WamigrateError(
            .store, "the \(settings.verifier.rawValue) verifier does not run on this store's engine yet (\(store.path))",
            hint: "verify on a SQLite store, or run with verifier none")
    }
}
