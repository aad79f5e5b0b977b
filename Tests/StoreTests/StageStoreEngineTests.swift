import Foundation
import Testing
import WamigrateBase
import WamigrateModel
import WamigratePostgres
import WamigrateStore
import WamigrateTestSupport

/// What every engine the stages write through must do alike: text through the bulk paths,
/// output order, one writer at a time, errors without the data.
@Suite("Store: the stages' engines")
struct StageStoreEngineTests {
    /// Names with the characters COPY's text format escapes (and its NULL marker) come back as
    /// they went in, and contacts come out by number, byte by byte.
    @Test(arguments: StoreEngine.stages)
    func textSurvivesTheBulkPathsAndContactsComeOutByNumber(_ engine: StoreEngine) throws {
        let (store, kept) = try engine.freshStages()
        defer { withExtendedLifetime(kept) {} }
        let names = ["Tab\there", "Line\nbreak", "Back\\slash", "\\N", "Quote \"q\" 'q'", "Zoë 🙂", "Car\rriage"]
        let numbers = (0..<names.count).map { "+49151000000\(names.count - $0)" }
        try Seed.pipeline(
            store, zip(numbers, names).map { SeedRow(phone: $0, e164: $0, name: $1) })
        var seen: [(String?, String?)] = []
        try store.readOutputs { rows in try rows.forEachContact { seen.append(($0.e164, $0.name)) } }
        #expect(seen.map(\.0) == numbers.sorted())
        let byNumber = Dictionary(uniqueKeysWithValues: zip(numbers, names))
        for (number, name) in seen { #expect(name == byNumber[number ?? ""], "name of \(number ?? "?")") }
    }

    /// The lists name every contact once, the opted-out one in `rejected` (the seed's placement),
    /// and import's order is the contacts' order.
    @Test(arguments: StoreEngine.stages)
    func anOptedOutPersonIsListedApartAndEveryContactOnce(_ engine: StoreEngine) throws {
        let (store, kept) = try engine.freshStages()
        defer { withExtendedLifetime(kept) {} }
        try Seed.pipeline(
            store,
            [
                SeedRow(phone: "+4915100000002", e164: "+4915100000002", consent: .optedIn, consentAt: 100),
                SeedRow(phone: "+4915100000001", e164: "+4915100000001", consent: .optedOut, consentAt: 200),
                SeedRow(phone: "+4915100000001", e164: "+4915100000001", consent: .optedIn, consentAt: 100),
                SeedRow(phone: "junk", e164: nil),
            ])
        var entries: [(list: String, e164: String?)] = []
        try store.readOutputs { rows in try rows.forEachListEntry { entries.append(($0.list, $0.e164)) } }
        #expect(entries.map(\.list) == ["rejected", "whatsapp_ready", "rejected"])
        #expect(entries.map(\.e164) == ["+4915100000001", "+4915100000002", nil])
        #expect(try store.books().balanced)
    }

    /// While one connection holds the writer lock, a second is refused with E_STORE_BUSY naming
    /// its command; once the first is gone, the second gets in. (SQLite's lock is a process's
    /// file lock, so two handles in one process do not exclude each other; the end-to-end
    /// tests check it between processes.)
    @Test(arguments: StoreEngine.stages.filter { $0 == .postgres })
    func aSecondWriterIsRefusedNamingTheFirst(_ engine: StoreEngine) throws {
        var first: (any StageStore)?
        let kept: AnyObject
        do {
            let opened = try engine.freshStages()
            (first, kept) = (opened.store, opened.kept)
        }
        defer { withExtendedLifetime(kept) {} }
        let path = try #require(first).path
        let error = #expect(throws: WamigrateError.self) { _ = try engine.openWriter(path, command: "second-writer") }
        #expect(error?.code == .storeBusy)
        #expect(error?.message.contains("store-tests") == true, "\(error?.message ?? "")")
        first = nil
        _ = try engine.openWriter(path, command: "second-writer")
    }

    /// A statement the engine refuses (a duplicate row id) fails the stage with E_STORE, and the
    /// message carries neither the number nor the name bound to it.
    @Test(arguments: StoreEngine.stages)
    func aRefusedStatementNamesNoNumberAndNoName(_ engine: StoreEngine) throws {
        let (store, kept) = try engine.freshStages()
        defer { withExtendedLifetime(kept) {} }
        let run = try store.beginRun(
            command: "t", dryRun: false, configJSON: "{}", phoneLibrary: "t", phonePackage: "t", phoneMetadata: "t")
        let context = StageContext(store: store, runID: run, fingerprint: "dup")
        let error = #expect(throws: (any Error).self) {
            _ = try store.replaceInputs(context: context, counts: { (n: Int) in (n, n) }) { tables in
                for _ in 0..<2 {
                    try tables.addRow(
                        id: 7, sourceID: 1, line: 2, record: 1, phone: "+4915123456789", name: "Adelheid Quist",
                        email: nil, country: nil, consent: .unknown, consentRaw: nil, consentAt: nil, seenAt: nil,
                        viberID: nil, tags: nil, language: nil, flags: nil)
                }
                try tables.addSource(
                    id: 1, position: 0, path: "/x.csv", name: "x.csv", size: 1, sha256: "00", encoding: "utf-8",
                    delimiter: ",", profile: "t", profileJSON: "{}", columnsJSON: "[]", channel: .sms,
                    defaultRegion: "DE", priority: 1, rows: 2, blankLines: 0, phoneSciDigits: 0)
                return 2
            }
        }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect((error as? WamigrateError)?.code == .store, "\(text)")
        #expect(!text.contains("4915123456789") && !text.contains("Adelheid"), "\(text)")
        #expect(try store.completedFingerprint(.extract) == nil)
    }
}

extension StoreEngine {
    /// Opens the store at `path` (a file, or a PostgreSQL URL) again to write.
    func openWriter(_ path: String, command: String) throws -> any StageStore {
        switch self {
        case .sqlite: return try JobStore(path: path, command: command)
        case .postgres: return try PostgresJobStore(PostgresAddress(path)!, command: command)
        }
    }
}
