import Foundation

/// Dedupe shared by several workers, on one machine or many (an engine where several writers
/// can work at once: PostgreSQL). The coordinator numbers every row that makes a contact in
/// key order and cuts that order into partitions at key boundaries, so a number's rows are
/// always in one partition. Every worker (the coordinator's threads too) claims a pending
/// partition no other holds, merges its keys and writes their contacts, their rows, their
/// conflicts and their staged consent cells with the partition marked done in one transaction:
/// a worker killed at any point leaves its partition pending for another, and no contact is
/// written twice. Once every partition is done, the coordinator puts the contacts in place,
/// records the consent cells in the ledger and the stage, in one transaction.
public protocol DedupePartitionStore: AnyObject {
    /// Plans a dedupe with `fingerprint` in partitions of about `rows` rows each, after clearing
    /// dedupe's and every later stage's results; an unfinished plan with the same fingerprint
    /// (left by a killed coordinator) is kept with its done partitions.
    func planDedupe(fingerprint: String, rows: Int) throws -> BatchProgress

    /// The fingerprint of the planned, unfinished dedupe; nil when none is planned.
    func dedupePlan() throws -> String?

    /// Claims the next pending partition of the plan with `fingerprint`, merges each key's rows
    /// with `merge` (Core's survivorship) and writes it, partition done, in one transaction.
    /// False when no partition of that plan was free to claim.
    func dedupeNextPartition(
        worker: String, fingerprint: String, merge: (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact
    ) throws -> Bool

    func dedupeProgress() throws -> BatchProgress

    /// Once every partition is done: the contacts in place, the consent cells recorded, the
    /// stage recorded with the partitions' reports added up; nil (nothing written) while a
    /// partition is still pending.
    func finishDedupe(context: StageContext) throws -> DedupeReport?

    /// Another handle on the same job, on its own connection and without the writer lock, for
    /// one more thread of this process to claim partitions on.
    func dedupeHelper() throws -> any DedupePartitionStore
}
