import Foundation
import Logging
import WamigrateBase
import WamigrateModel

/// dedupe: one contact per E.164 (and one per Viber id for Viber-only rows), fields
/// picked by `Survivorship`, with the row that supplied each. Viber-only rows whose
/// Viber id also appears on a row with a number join that number's contact.
/// Contact ids are a keyed hash of the number, so a re-run gives the same ids.
public struct DedupeStage: PipelineStage {
    public static let stage = Stage.dedupe
    public static let summaryField = \RunSummary.dedupe

    public var logger: Logger
    /// rows merged / total on a terminal (nothing moves while SQLite sorts the rows).
    public var progress: any ProgressSink = SilentProgress()
    /// On an engine several processes write at once: rows per partition (what a worker claims
    /// at a time) and the connections this process merges on.
    public var partitionRows = 50_000
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init(logger: Logger) { self.logger = logger }

    public func fingerprint(upstream: String?) -> String {
        Self.digest(upstream ?? "", "dedupe", ToolVersion.current)
    }

    public func run(_ context: StageContext) throws -> DedupeReport {
        if let shared = context.store as? any DedupePartitionStore { return try runShared(context, store: shared) }
        let report = try context.store.rebuildContacts(context: context, progress: progress, merge: Self.merge)
        logger.info(
            "dedupe: \(report.contacts) contacts (\(report.merged) rows merged, \(report.conflicts.values.reduce(0, +)) conflicts flagged)"
        )
        return report
    }
}
