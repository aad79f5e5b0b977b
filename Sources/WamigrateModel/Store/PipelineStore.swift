import Foundation
import WamigrateBase

/// The staged job: runs and stage records, each stage's tables replaced in one
/// transaction that also records the stage, the books, backups and output files.
public protocol PipelineStore: AnyObject {
    /// Where the store lives (backups and the webhook spool sit beside it).
    var path: String { get }

    func beginRun(
        command: String, dryRun: Bool, configJSON: String, phoneLibrary: String, phonePackage: String,
        phoneMetadata: String
    ) throws -> Int64
    func finishRun(_ id: Int64, ok: Bool, audit: Bool) throws
    /// True when this stage or a later one has results a re-run would replace.
    func hasResults(from stage: Stage) throws -> Bool
    func lastReport<R: Decodable>(_ stage: Stage, as type: R.Type) throws -> R?
    /// The fingerprint of the stage's last completed run; nil when it has not completed.
    func completedFingerprint(_ stage: Stage) throws -> String?
    func rememberedDefaultRegion() throws -> String?
    func rememberDefaultRegion(_ region: String) throws
    func books() throws -> Books
    func sourceSettings() throws -> [SourceSettings]

    func replaceInputs<R: Encodable>(
        context: StageContext, counts: (R) -> (rowsIn: Int, rowsOut: Int), _ body: (any InputTables) throws -> R
    ) throws -> R
    func replaceNormalized<R: Encodable>(
        context: StageContext, counts: (R) -> (rowsIn: Int, rowsOut: Int), _ body: (any NormalizedTables) throws -> R
    ) throws -> R
    /// Dedupe: every number's rows grouped into one contact, fields picked by `merge`.
    func rebuildContacts(
        context: StageContext, progress: any ProgressSink,
        merge: (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact
    ) throws -> DedupeReport
    /// Import: every contact in exactly one list, where `place` puts it (no channel: never messaged).
    func rebuildImportLists(
        context: StageContext, policy: ConsentPolicy, progress: any ProgressSink,
        place: (ConsentTally, _ e164: String?, RegistrationStatus?) -> (ImportList, channel: Channel?, reason: ListReason?),
        olderStore: (_ exportEventsAdded: Int) -> Void
    ) throws -> ImportReport

    /// A snapshot before a stage replaces results, unless the newest already holds them.
    func backUpIfChanged(reason: String, keep: Int, excludingRun: Int64?) throws -> StoreBackup?
    /// The ordered scans the output files are written from, in one read transaction.
    func readOutputs<T>(_ body: (any OutputRows) throws -> T) throws -> T
    /// A second handle that reads committed results on its own connection, from another
    /// thread, while this one writes (the run writes its output files from it while the
    /// books are counted and the audit step records).
    func concurrentReader() throws -> any PipelineStore
    /// Runs the report's queries on this connection, as `report` runs them for `request`,
    /// and returns their results with the generation of every table each one read.
    func readReportQueries(_ request: AuditRequest) throws -> KeptQueries
    /// Keeps them: `report` reuses each result while the tables its query reads are unchanged.
    func keepReportQueries(_ kept: KeptQueries) throws
}

/// The report's query results as the run's end read them, opaque outside the store.
public struct KeptQueries: @unchecked Sendable {
    public var results: [String: String]

    public init(results: [String: String]) { self.results = results }
}

/// Extract's writes, inside `replaceInputs`'s transaction.
public protocol InputTables {
    func addRow(
        id: Int64, sourceID: Int64, line: Int, record: Int, phone: String, name: String?, email: String?,
        country: String?, consent: ConsentState, consentRaw: String?, consentAt: Int64?, seenAt: Int64?,
        viberID: String?, tags: String?, language: String?, flags: String?) throws
    func addSource(
        id: Int64, position: Int, path: String, name: String, size: Int64, sha256: String, encoding: String,
        delimiter: String, profile: String, profileJSON: String, columnsJSON: String, channel: Channel?,
        defaultRegion: String?, priority: Int, rows: Int, blankLines: Int, phoneSciDigits: Int) throws
}

/// Normalize's reads and writes, inside `replaceNormalized`'s transaction.
public protocol NormalizedTables {
    func sources() throws -> [SourceSettings]
    func inputCount() throws -> Int
    /// The next `limit` rows after row `id`, in row order.
    func cells(after id: Int64, limit: Int) throws -> [PhoneCell]
    func add(
        rowID: Int64, outcome: RowOutcome, e164: String?, region: String?, regionSource: String?, numberType: String?,
        phoneExtension: String?, extraNumbers: String?, flags: String?, reason: String?, candidates: String?) throws
}

/// The files `writeOutputs` wrote.
public struct WrittenOutputs: Codable, Sendable {
    public var contacts: Int
    public var rejected: Int
    public var viberOnly: Int
    public var files: [String]

    public init(contacts: Int, rejected: Int, viberOnly: Int, files: [String]) {
        self.contacts = contacts
        self.rejected = rejected
        self.viberOnly = viberOnly
        self.files = files
    }
}

/// What the pipeline's stages write through: every engine's store is one.
public typealias StageStore = PipelineStore & VerifyStore

/// What a stage is handed: the store, the run, and the fingerprint its completion record keeps.
public struct StageContext {
    public let store: any StageStore
    public let runID: Int64
    public let fingerprint: String
    public let started = Clock.isoNow()

    public init(store: any StageStore, runID: Int64, fingerprint: String) {
        self.store = store
        self.runID = runID
        self.fingerprint = fingerprint
    }
}
