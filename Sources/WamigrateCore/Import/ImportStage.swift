import Foundation
import Logging
import WamigrateBase
import WamigrateModel

/// import: splits every contact (and every rejected input row) into exactly one
/// of the four lists, stores the split in the job, and writes each list as CSV
/// and JSON Lines when given a folder.
public struct ImportStage: PipelineStage {
    public static let stage = Stage.import
    public static let summaryField = \RunSummary.import
    /// The lists are rebuilt from the ledger each time: consent may have changed since.
    public static let incremental = true

    public var outDirectory: String?
    public var policy: ConsentPolicy
    public var logger: Logger
    /// contacts placed / total on a terminal.
    public var progress: any ProgressSink = SilentProgress()

    public init(outDirectory: String?, policy: ConsentPolicy = ConsentPolicy(), logger: Logger) {
        self.outDirectory = outDirectory
        self.policy = policy
        self.logger = logger
    }

    public func fingerprint(upstream: String?) -> String {
        Self.digest(upstream ?? "", "import", ToolVersion.current, "\(policy.whatsappSources)")
    }

    public func run(_ context: StageContext) throws -> ImportReport {
        var report = try context.store.rebuildImportLists(
            context: context, policy: policy, progress: progress,
            place: { ImportList.place(tally: $0, e164: $1, status: $2) },
            olderStore: { logger.info("import: recorded \($0) export consent cells an older dedupe left to import") })
        let store = context.store
        if let outDirectory {
            report.files = try ImportListFiles(directory: outDirectory).write(store: store)
        }
        logger.info("import: \(report.lists.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
        return report
    }
}
