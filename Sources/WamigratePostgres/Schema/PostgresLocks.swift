import Foundation

/// The advisory lock keys of a job (one job per database). Session locks go away with their
/// connection, so a killed command never leaves one behind.
enum PostgresLocks {
    /// Held by every command that replaces results, for its whole life: the SQLite store's
    /// writer lock file.
    static let writer: Int64 = 0x7761_6D69_0001
    /// Held, for one transaction, while migrations are applied.
    static let migrations: Int64 = 0x7761_6D69_0002
}
