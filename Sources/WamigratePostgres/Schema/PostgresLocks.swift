import Foundation

/// The advisory lock keys of a job (one job per database). Session locks go away with their
/// connection, so a killed command never leaves one behind.
enum PostgresLocks {
    /// Held by every command that replaces results, for its whole life: the SQLite store's
    /// writer lock file.
    static let writer: Int64 = 0x7761_6D69_0001
    /// Held, for one transaction, while migrations are applied.
    static let migrations: Int64 = 0x7761_6D69_0002
    /// The first key of each sender's session lock (`PostgresSenderLease`); the second is its token.
    static let senders: Int32 = 0x7761_6D73
    /// Held, for one processing pass, by whoever takes webhook bodies from the inbox into the job
    /// (receivers and senders take turns; each body is processed once).
    static let webhookProcessing: Int64 = 0x7761_6D69_0003
    /// Held, for one transaction, by a sender taking wave messages under the messaging limit
    /// (the limit counts recipients across every wave of the job).
    static let messagingLimit: Int64 = 0x7761_6D69_0004
}
