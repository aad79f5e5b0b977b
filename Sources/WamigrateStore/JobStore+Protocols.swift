import WamigrateModel

// The SQLite store conforms to every store protocol of the model.
extension JobStore: JobStoring {
    public func verifyBatches() -> any VerifyBatches { SQLiteVerifyBatches(store: self) }

    public func spoolWatch() -> any SpoolWatching { SQLiteSpoolWatch(store: path) }
    /// One writer at a time holds the store (its lock file): a pass is alone already.
    public func processingWebhooksAlone<T>(_ body: () throws -> T) throws -> T { try body() }

    public func backUpIfChanged(reason: String, keep: Int, excludingRun: Int64?) throws -> StoreBackup? {
        try StoreBackup.takeIfChanged(self, reason: reason, keep: keep, excludingRun: excludingRun)
    }

    public func readOutputs<T>(_ body: (any OutputRows) throws -> T) throws -> T {
        try read { db in try body(try SQLiteOutputRows(db)) }
    }

    /// The same file opened again without the writer lock (WAL lets it read while this
    /// handle's transactions commit).
    public func concurrentReader() throws -> any PipelineStore { try JobStore(existingAt: path) }

    public func readReportQueries(_ request: AuditRequest) throws -> KeptQueries {
        KeptQueries(results: try ReportFigures(request).record(store: self))
    }

    public func keepReportQueries(_ kept: KeptQueries) throws {
        try write { db in try QueryMemo.keep(kept.results, in: db) }
    }
}

extension JobStore {
    /// The SQLite store as a `JobStoring`, for code that takes an opener (`Pipeline`).
    public static func open(path: String, command: String) throws -> any JobStoring {
        try JobStore(path: path, command: command)
    }
}

extension JobStore: AuditStore {
    public func auditFigures(_ request: AuditRequest) throws -> AuditFigures {
        try ReportFigures(request).collect(store: self)
    }
}
