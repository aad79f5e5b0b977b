import Foundation
import Testing
import WamigrateBase
import WamigrateModel
import WamigrateTestSupport

/// The staged job through `PipelineStore`: each stage's tables replaced with its record in
/// one transaction, and the books.
@Suite("Store: pipeline tables and books")
struct PipelineStoreTests {
    struct Refused: Error {}

    @Test(arguments: StoreEngine.stages)
    func everyRowEndsKeptMergedOrRejectedAndTheBooksBalance(_ engine: StoreEngine) throws {
        let (store, kept) = try engine.freshStages()
        defer { withExtendedLifetime(kept) {} }  // the store must outlive the test
        try Seed.pipeline(
            store,
            [
                SeedRow(phone: "0151 23456789", e164: "+4915123456789"),
                SeedRow(phone: "+49 151 23456789", e164: "+4915123456789"),
                SeedRow(phone: "n/a", e164: nil),
            ])
        let books = try store.books()
        #expect(books.rowsIn == 3 && books.kept == 1 && books.merged == 1 && books.rejected == 1)
        #expect(books.balanced && books.unaccounted == 0)
        #expect(try store.completedFingerprint(.import) == "seed")
    }

    /// A row moved from one contact link to a row normalize rejected keeps every total
    /// right; the books still see the rejected row in a contact and the passed row in none.
    @Test func aRowLinkedToTheWrongRowUnbalancesTheBooksThoughTheTotalsAgree() throws {
        let (store, folder) = try StoreEngine.sqlite.freshReading()
        defer { withExtendedLifetime(folder) {} }
        try Seed.pipeline(
            store,
            [
                SeedRow(phone: "0151 23456789", e164: "+4915123456789"),
                SeedRow(phone: "+49 151 23456789", e164: "+4915123456789"),
                SeedRow(phone: "n/a", e164: nil),
                SeedRow(phone: "0151 23456780", e164: "+4915123456780"),
            ])
        #expect(try store.books().balanced)
        try StoreProbe.tamper(store.path, "UPDATE contact_rows SET row_id = 3 WHERE row_id = 2")
        var books = try store.books()
        #expect(books.rowsIn == 4 && books.kept + books.merged + books.rejected == 4, "\(books)")
        #expect(!books.balanced && books.unaccounted == 2 && books.losingStage == "dedupe", "\(books)")
        // A row lost from its contact shows in the totals and as a passed row in no contact: once.
        try StoreProbe.tamper(
            store.path, "UPDATE contact_rows SET row_id = 2 WHERE row_id = 3; DELETE FROM contact_rows WHERE row_id = 4")
        books = try store.books()
        #expect(!books.balanced && books.unaccounted == 1, "\(books)")
    }

    @Test(arguments: StoreEngine.stages)
    func aStageWhoseWorkFailsLeavesTheEarlierResultsAndNoRecord(_ engine: StoreEngine) throws {
        let (store, kept) = try engine.freshStages()
        defer { withExtendedLifetime(kept) {} }  // the store must outlive the test
        try Seed.pipeline(store, [SeedRow(phone: "0151 23456789", e164: "+4915123456789")])
        let before = try store.books()
        let run = try store.beginRun(
            command: "t", dryRun: false, configJSON: "{}", phoneLibrary: "t", phonePackage: "t", phoneMetadata: "t")
        let context = StageContext(store: store, runID: run, fingerprint: "second")
        // The engine reports the failure in its own words; the stage's error is inside it.
        let failure = #expect(throws: (any Error).self) {
            _ = try store.replaceInputs(context: context, counts: { (n: Int) in (n, n) }) { tables in
                try tables.addRow(
                    id: 1, sourceID: 1, line: 2, record: 1, phone: "x", name: nil, email: nil, country: nil,
                    consent: .unknown, consentRaw: nil, consentAt: nil, seenAt: nil, viberID: nil, tags: nil,
                    language: nil, flags: nil)
                throw Refused()
            }
        }
        #expect("\(failure.map { "\($0)" } ?? "")".contains("Refused"))
        #expect(try store.books() == before, "a failed extract changed the stored results")
        #expect(try store.completedFingerprint(.extract) == "seed")
        #expect(try store.hasResults(from: .dedupe))
    }

    @Test(arguments: StoreEngine.stages)
    func theDefaultRegionIsRemembered(_ engine: StoreEngine) throws {
        let (store, kept) = try engine.freshStages()
        defer { withExtendedLifetime(kept) {} }  // the store must outlive the test
        #expect(try store.rememberedDefaultRegion() == nil)
        try store.rememberDefaultRegion("TR")
        #expect(try store.rememberedDefaultRegion() == "TR")
    }
}
