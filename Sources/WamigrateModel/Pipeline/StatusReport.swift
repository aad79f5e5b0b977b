import Foundation
import WamigrateBase

/// Where a job stands: per stage its last run and counts, rejections by reason,
/// and the books. `wamigrate status` prints it.
public struct StatusReport: Codable, Sendable {
    public struct StageStatus: Codable, Sendable {
        public var stage: String
        public var ran: Bool
        public var finishedAt: String?
        public var runID: Int64?
        public var rowsIn: Int?
        public var rowsOut: Int?

        public init(stage: String, ran: Bool, finishedAt: String?, runID: Int64?, rowsIn: Int?, rowsOut: Int?) {
            (self.stage, self.ran, self.finishedAt, self.runID, self.rowsIn, self.rowsOut) = (
                stage, ran, finishedAt, runID, rowsIn, rowsOut
            )
        }
    }

    public var store: String
    public var stages: [StageStatus]
    public var rejectedByReason: [String: Int]
    public var contacts: Int
    public var viberOnlyContacts: Int
    public var conflicts: [String: Int]
    public var lastRun: LastRun?
    public var books: Books
    /// Contacts with a number by WhatsApp status, batches not yet answered, and the import lists.
    public var whatsappStatus: [String: Int] = [:]
    public var openBatches = 0
    public var lists: [String: Int] = [:]
    /// Rows whose reading an auditor should review, by flag: `ambiguous_international`,
    /// `ambiguous_national`, `national_fallback`, `unknown_country` (zero counts omitted).
    public var review: [String: Int] = [:]
    /// A shared normalize's batches (PostgreSQL jobs), while one is planned.
    public var normalizeBatches: BatchProgress?
    /// A shared dedupe's partitions (PostgreSQL jobs), while one is planned.
    public var dedupePartitions: BatchProgress?

    public struct LastRun: Codable, Sendable {
        public var id: Int64
        public var command: String
        public var status: String
        public var dryRun: Bool
        public var startedAt: String
        public var finishedAt: String?

        public init(id: Int64, command: String, status: String, dryRun: Bool, startedAt: String, finishedAt: String?) {
            (self.id, self.command, self.status, self.dryRun) = (id, command, status, dryRun)
            (self.startedAt, self.finishedAt) = (startedAt, finishedAt)
        }
    }

    public init(
        store: String, stages: [StageStatus], rejectedByReason: [String: Int], contacts: Int, viberOnlyContacts: Int,
        conflicts: [String: Int], lastRun: LastRun?, books: Books
    ) {
        (self.store, self.stages, self.rejectedByReason) = (store, stages, rejectedByReason)
        (self.contacts, self.viberOnlyContacts, self.conflicts) = (contacts, viberOnlyContacts, conflicts)
        (self.lastRun, self.books) = (lastRun, books)
    }

    /// The row flags (Phone's `PhoneFlag` raw values, checked by a test) that mark a
    /// reading an auditor should review.
    public static let reviewFlags = ["ambiguous_international", "ambiguous_national", "national_fallback", "unknown_country"]

    /// Plain text for people.
    public var text: String {
        var lines = ["store: \(store)"]
        if let run = lastRun {
            lines.append("last run: #\(run.id) \(run.status)\(run.dryRun ? " (dry run)" : "") started \(run.startedAt)")
        }
        for stage in stages {
            if stage.ran {
                lines.append(
                    "  \(stage.stage.padding(toLength: 10, withPad: " ", startingAt: 0)) rows in \(stage.rowsIn ?? 0) → out \(stage.rowsOut ?? 0)  (run #\(stage.runID ?? 0), \(stage.finishedAt ?? ""))"
                )
            } else {
                lines.append("  \(stage.stage.padding(toLength: 10, withPad: " ", startingAt: 0)) not run")
            }
        }
        for (stage, unit, shared) in [("normalize", "batches", normalizeBatches), ("dedupe", "partitions", dedupePartitions)] {
            guard let batches = shared, !batches.finished || !stages.contains(where: { $0.stage == stage && $0.ran })
            else { continue }
            lines.append(
                "\(stage) \(unit): \(batches.batchesDone) of \(batches.batches) done (\(batches.rowsDone) of \(batches.rows) rows), "
                    + "by \(batches.workers.count) workers"
                    + batches.workers.sorted(by: { $0.key < $1.key }).map { " \($0.key) \($0.value)" }.joined(separator: ","))
        }
        if !rejectedByReason.isEmpty {
            lines.append("rejected by reason:")
            for (reason, count) in rejectedByReason.sorted(by: { $0.key < $1.key }) { lines.append("  \(reason): \(count)") }
        }
        if !review.isEmpty {
            lines.append(
                "readings to review (flagged on the row; see `trace`): "
                    + Self.reviewFlags.compactMap { flag in review[flag].map { "\(flag) \($0)" } }
                    .joined(separator: ", "))
        }
        lines.append("contacts: \(contacts) with a number, \(viberOnlyContacts) Viber-only")
        if !conflicts.isEmpty {
            lines.append(
                "conflicts flagged: "
                    + conflicts.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if stages.contains(where: { $0.stage == Stage.verify.rawValue && $0.ran }) {
            lines.append(
                "whatsapp: "
                    + RegistrationStatus.allCases.map { "\($0.rawValue) \(whatsappStatus[$0.rawValue] ?? 0)" }
                    .joined(separator: ", "))
        }
        if openBatches > 0 {
            lines.append("verify: \(openBatches) batches not yet answered; run verify again to finish them")
        }
        if !lists.isEmpty {
            lines.append(
                "lists: "
                    + ImportList.allCases.map { "\($0.rawValue) \(lists[$0.rawValue] ?? 0)" }.joined(separator: ", "))
        }
        lines.append(books.line)
        return lines.joined(separator: "\n")
    }
}
