import WamigrateBase
import WamigrateModel
import WamigratePostgres
import WamigrateStore

/// Opens the job store a `--store` value names, on its engine (`StoreEngineName`): the only
/// place the executable chooses between SQLite and PostgreSQL.
enum StoreEngines {
    /// The store to write for the pipeline's stages (creating it when missing).
    static func open(path: String, command: String) throws -> any StageStore {
        switch StoreEngineName.of(path) {
        case .sqlite: return try JobStore.open(path: path, command: command)
        case .postgres: return try PostgresJobStore(PostgresAddress(path)!, command: command)
        }
    }

    /// A PostgreSQL job opened without the writer lock, as a worker beside its writer works on it.
    static func openToWork(_ address: PostgresAddress) throws -> any NormalizeBatchStore & PipelineStore {
        try PostgresJobStore(existing: address)
    }

    /// `status` of the job, on its engine.
    static func status(_ path: String) throws -> StatusReport {
        switch StoreEngineName.of(path) {
        case .sqlite: return try StatusReport.load(storePath: path)
        case .postgres: return try PostgresJobStore(existing: PostgresAddress(path)!).status()
        }
    }
}
