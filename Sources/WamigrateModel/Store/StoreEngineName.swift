import WamigrateBase

/// Which engine a `--store` value names: a `postgres://` or `postgresql://` URL is a
/// PostgreSQL job, anything else a SQLite file. The one place the two are told apart.
public enum StoreEngineName: String, Sendable {
    case sqlite, postgres

    public static func of(_ store: String) -> StoreEngineName {
        store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") ? .postgres : .sqlite
    }

    /// The error a command that works on SQLite files only gives for a PostgreSQL job.
    public static var sqliteOnly: WamigrateError {
        WamigrateError(
            .store, "this command does not run on a PostgreSQL job store yet",
            hint:
                "on PostgreSQL every command runs but `backup` (use the server's: pg_dump -Fc, base backups) and "
                + "`scenarios convert --store` (see README, PostgreSQL for teams); use a SQLite store for those")
    }
}
