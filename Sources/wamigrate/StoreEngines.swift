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

    /// The whole job to write (plans, templates, replies, sends), creating it when missing. On
    /// PostgreSQL a `sender` (wave send, campaign send, the receiver's processing) works beside
    /// other senders and the writer, without the writer lock: it claims the messages it sends.
    static func openJob(path: String, command: String, sender: Bool = false) throws -> any JobStoring {
        switch StoreEngineName.of(path) {
        case .sqlite: return try JobStore(path: path, command: command)
        case .postgres: return try PostgresJobStore(PostgresAddress(path)!, command: command, writerLock: !sender)
        }
    }

    /// A job that must exist, to read (`wave status`, `campaign status`), without the writer lock.
    static func openExisting(path: String) throws -> any JobStoring {
        switch StoreEngineName.of(path) {
        case .sqlite: return try JobStore(existingAt: path)
        case .postgres: return try PostgresJobStore(existing: PostgresAddress(path)!)
        }
    }

    /// A job that must exist, for the auditor's reads: `report`, `trace`, `diff`.
    static func openToAudit(path: String) throws -> any JobStoring & AuditStore & RunAuditStore {
        switch StoreEngineName.of(path) {
        case .sqlite: return try JobStore(existingAt: path)
        case .postgres: return try PostgresJobStore(existing: PostgresAddress(path)!)
        }
    }

    /// Where `webhook serve` keeps a verified body before answering: the spool file beside a
    /// SQLite job, the job's inbox itself on PostgreSQL (several receivers may append at once).
    static func openSpool(store: String) throws -> any WebhookSpooling {
        switch StoreEngineName.of(store) {
        case .sqlite: return try WebhookSpool(store: store)
        case .postgres: return try PostgresWebhookSpool(PostgresAddress(store)!)
        }
    }

    /// A PostgreSQL job opened without the writer lock, as a worker beside its writer works on it.
    static func openToWork(_ address: PostgresAddress) throws
        -> any NormalizeBatchStore & DedupePartitionStore & PipelineStore
    {
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
