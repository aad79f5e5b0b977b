import Foundation
import WamigrateBase
import WamigrateModel
import WamigratePostgres
import WamigrateStore
import WamigrateTestSupport

/// Every store engine the suite runs on, each opening a fresh store of its own (GRDB's
/// `GRDBTestCase` model: a temp folder for SQLite, a new database for PostgreSQL). The tests
/// name only the model's protocols; an engine joins a test by being in the list it takes.
enum StoreEngine: String, CustomStringConvertible {
    case sqlite, postgres

    var description: String { rawValue }

    /// Engines that conform to every store protocol (`JobStoring`): PostgreSQL joins when the
    /// tests have a server (`scripts/test.sh` starts one), and must when CI requires it.
    static var complete: [StoreEngine] { stages }

    /// Engines an auditor's reads (`JobReading`) run on.
    static let reading: [StoreEngine] = [.sqlite]

    /// Engines the pipeline's stages write through (`StageStore`).
    static var stages: [StoreEngine] {
        PostgresTestDatabase.server != nil || PostgresTestDatabase.required ? [.sqlite, .postgres] : [.sqlite]
    }

    /// A new, empty store of an engine in `complete`, and what must stay alive as long as it
    /// (the temp folder, whose deinit deletes the file, or the database, dropped when released).
    func fresh() throws -> (store: any JobStoring, folder: AnyObject) {
        switch self {
        case .sqlite:
            let (store, folder) = try freshReading()
            return (store, folder)
        case .postgres:
            let database = try PostgresTestDatabase()
            return (try PostgresJobStore(database.address, command: "store-tests"), database)
        }
    }

    /// A new, empty store that an auditor's reads run on too (`reading`), and its folder.
    func freshReading() throws -> (store: any JobStoring & JobReading, folder: TempFolder) {
        precondition(self == .sqlite, "\(self) has no auditor's reads yet")
        let folder = TempFolder()
        return (try JobStore(path: folder.file("job.sqlite"), command: "store-tests"), folder)
    }

    /// A new, empty store for the pipeline's stages, and what must stay alive as long as it
    /// (the temp folder, or the database, which is dropped when released).
    func freshStages() throws -> (store: any StageStore, kept: AnyObject) {
        let (store, kept) = try fresh()
        return (store, kept)
    }

    /// The receiver's spool beside a store of this engine.
    func spool(beside store: any JobStoring) throws -> any WebhookSpooling {
        switch self {
        case .sqlite: return try WebhookSpool(store: store.path)
        case .postgres:
            guard let store = store as? PostgresJobStore else { preconditionFailure("not a PostgreSQL store") }
            return try PostgresWebhookSpool(store.address)
        }
    }
}

/// A contact to seed through the pipeline's own protocol (extract → normalize → dedupe → import).
struct SeedRow {
    var phone: String
    var e164: String?
    var consent: ConsentState = .unknown
    var consentAt: Int64? = nil
    var name: String? = nil
}

enum Seed {
    /// Runs the four pipeline writes through `PipelineStore` with the rows given: every row with
    /// a number becomes (or merges into) a contact, the rest are rejected; every contact goes to
    /// `list`. Returns the run id.
    /// Extract alone through `PipelineStore`, in a run of its own: every row in one source.
    static func extract(_ store: any StageStore, _ rows: [SeedRow]) throws {
        let run = try store.beginRun(
            command: "seed", dryRun: false, configJSON: "{}", phoneLibrary: "test", phonePackage: "test", phoneMetadata: "test")
        try extract(rows, StageContext(store: store, runID: run, fingerprint: "seed"))
        try store.finishRun(run, ok: true, audit: false)
    }

    private static func extract(_ rows: [SeedRow], _ context: StageContext) throws {
        _ = try context.store.replaceInputs(context: context, counts: { (rows: Int) in (rows, rows) }) { tables in
            for (index, row) in rows.enumerated() {
                try tables.addRow(
                    id: Int64(index + 1), sourceID: 1, line: index + 2, record: index + 1, phone: row.phone,
                    name: row.name, email: nil, country: nil, consent: row.consent, consentRaw: nil,
                    consentAt: row.consentAt, seenAt: nil, viberID: nil, tags: nil, language: nil, flags: nil)
            }
            try tables.addSource(
                id: 1, position: 0, path: "/seed/sms.csv", name: "sms.csv", size: 1, sha256: "00", encoding: "utf-8",
                delimiter: ",", profile: "seed", profileJSON: "{}", columnsJSON: "[]", channel: .sms,
                defaultRegion: "DE", priority: 1, rows: rows.count, blankLines: 0, phoneSciDigits: 0)
            return rows.count
        }
    }

    @discardableResult
    static func pipeline(_ store: any StageStore, _ rows: [SeedRow], list: ImportList = .whatsappReady) throws -> Int64 {
        let context = try normalized(store, rows)
        _ = try store.rebuildContacts(context: context, progress: SilentProgress(), merge: merge)
        try imported(context, list: list)
        return context.runID
    }

    /// Extract and normalize in a run left open: every row with an `e164` is a number, the rest
    /// are rejected. Returns the run's context, for dedupe and then `imported`.
    static func normalized(_ store: any StageStore, _ rows: [SeedRow]) throws -> StageContext {
        let run = try store.beginRun(
            command: "seed", dryRun: false, configJSON: "{}", phoneLibrary: "test", phonePackage: "test", phoneMetadata: "test")
        let context = StageContext(store: store, runID: run, fingerprint: "seed")
        try extract(rows, context)
        _ = try store.replaceNormalized(context: context, counts: { (rows: Int) in (rows, rows) }) { tables in
            for cell in try tables.cells(after: 0, limit: 1_000) {
                let e164 = rows[Int(cell.id) - 1].e164
                try tables.add(
                    rowID: cell.id, outcome: e164 == nil ? .rejected : .ok, e164: e164, region: e164 == nil ? nil : "DE",
                    regionSource: nil, numberType: e164 == nil ? nil : "mobile", phoneExtension: nil, extraNumbers: nil,
                    flags: nil, reason: e164 == nil ? "not_a_number" : nil, candidates: nil)
            }
            return rows.count
        }
        return context
    }

    /// A contact's fields as the seeds merge them: the first name, the first stated consent.
    static func merge(_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact {
        let decided = rows.first { $0.consent != .unknown }
        return MergedContact(
            name: rows.compactMap { row in row.name.map { Picked(value: $0, row: row.id) } }.first, email: nil,
            language: nil, viberID: nil, consent: decided?.consent ?? .unknown, consentAt: decided?.consentAt,
            consentRow: decided?.id, consentRule: nil, sourceIDs: [1], tags: [], conflicts: [])
    }

    /// Import (every contact to `list`, opted-out ones rejected) and the run's end.
    static func imported(_ context: StageContext, list: ImportList = .whatsappReady) throws {
        _ = try context.store.rebuildImportLists(
            context: context, policy: ConsentPolicy(), progress: SilentProgress(),
            place: { tally, _, _ in tally.state == .optedOut ? (.rejected, nil, .optedOut) : (list, .whatsapp, nil) },
            olderStore: { _ in })
        try context.store.finishRun(context.runID, ok: true, audit: true)
    }
}
