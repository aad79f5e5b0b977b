import Foundation
import WamigrateBase
import WamigrateModel
import WamigrateStore
import WamigrateTestSupport

/// Every store engine the suite runs on, each opening a fresh store in its own temp folder
/// (GRDB's `GRDBTestCase` model). The tests name only the model's protocols; a second engine
/// joins by adding a case here.
enum StoreEngine: String, CaseIterable, CustomStringConvertible {
    case sqlite

    var description: String { rawValue }

    /// A new, empty store, and the folder that holds it: keep the folder alive as long as the
    /// store (its deinit deletes the file, and a second connection opens the store by path).
    func fresh() throws -> (store: any JobStoring & JobReading, folder: TempFolder) {
        let folder = TempFolder()
        switch self {
        case .sqlite: return (try JobStore(path: folder.file("job.sqlite"), command: "store-tests"), folder)
        }
    }

    /// The receiver's spool beside a store of this engine.
    func spool(beside store: any JobStoring) throws -> any WebhookSpooling {
        switch self {
        case .sqlite: return try WebhookSpool(store: store.path)
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
    @discardableResult
    static func pipeline(_ store: any JobStoring, _ rows: [SeedRow], list: ImportList = .whatsappReady) throws -> Int64 {
        let run = try store.beginRun(
            command: "seed", dryRun: false, configJSON: "{}", phoneLibrary: "test", phonePackage: "test", phoneMetadata: "test")
        let context = StageContext(store: store, runID: run, fingerprint: "seed")
        _ = try store.replaceInputs(context: context, counts: { (rows: Int) in (rows, rows) }) { tables in
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
        _ = try store.rebuildContacts(context: context, progress: SilentProgress()) { _, rows in
            let decided = rows.first { $0.consent != .unknown }
            return MergedContact(
                name: rows.compactMap { row in row.name.map { Picked(value: $0, row: row.id) } }.first, email: nil,
                language: nil, viberID: nil, consent: decided?.consent ?? .unknown, consentAt: decided?.consentAt,
                consentRow: decided?.id, consentRule: nil, sourceIDs: [1], tags: [], conflicts: [])
        }
        _ = try store.rebuildImportLists(
            context: context, policy: ConsentPolicy(), progress: SilentProgress(),
            place: { tally, _, _ in tally.state == .optedOut ? (.rejected, nil, .optedOut) : (list, .whatsapp, nil) },
            olderStore: { _ in })
        try store.finishRun(run, ok: true, audit: true)
        return run
    }
}
