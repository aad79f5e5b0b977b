import Foundation
import Testing
import WamigrateModel

/// Wave plans and the send log through `WaveStore`: what makes a message go out once.
@Suite("Store: wave plans and the send log")
struct SendLedgerStoreTests {
    static let numbers = ["+4915100000001", "+4915100000002", "+4915100000003"]

    static func planned(_ store: any JobStoring, wave: String = "w") throws {
        try store.replaceWavePlan(wave, policy: ConsentPolicy(), dryRun: false) { tables in
            try tables.forEachCandidate(list: .whatsappReady) { candidate in
                try tables.addMessage(
                    contactID: candidate.contactID, e164: candidate.e164, region: candidate.region, day: 0,
                    parameters: [candidate.fields["name"] ?? "-"], cost: 0.01, reason: nil, cohort: 0,
                    variant: "A")
            }
            try tables.saveWave(
                template: "t", language: "de", category: "MARKETING", list: .whatsappReady, tier: 250,
                tierSource: "--tier", settingsJSON: "{}", at: 1_900_000_000)
        }
    }

    @Test(arguments: StoreEngine.complete)
    func everyListedContactIsPlannedOnceAndEachMessageIsClaimedOnce(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        try Seed.pipeline(store, Self.numbers.map { SeedRow(phone: $0, e164: $0, name: "N") })
        try Self.planned(store)
        let messages = try store.plannedTemplates("w", after: 0, limit: 10)
        #expect(Set(messages.map(\.e164)) == Set(Self.numbers))
        #expect(messages.allSatisfy { $0.parameters == ["N"] && $0.addresses.contains($0.e164) })
        let first = try #require(messages.first)
        #expect(try store.markTemplateSending(first.id, at: 10))
        #expect(try !store.markTemplateSending(first.id, at: 11), "a second run claimed a message already going out")
        try store.markTemplateOutcome(first.id, state: .sent, wamid: "wamid.1", at: 12)
        #expect(try store.waveCount("w", state: .sent) == 1)
        #expect(try store.waveMessageStates([first.id])[first.id] == .sent)
        #expect(try store.waveRecipients(since: 0) == 1)
    }

    @Test(arguments: StoreEngine.complete)
    func aPlanCannotChangeOnceAMessageWentOut(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        try Seed.pipeline(store, Self.numbers.map { SeedRow(phone: $0, e164: $0) })
        try Self.planned(store)
        let first = try #require(try store.plannedTemplates("w", after: 0, limit: 1).first)
        #expect(try store.markTemplateSending(first.id, at: 10))
        #expect(throws: (any Error).self) { try Self.planned(store) }
        #expect(try store.waveCount("w", state: .sending) == 1, "the refused re-plan changed the send log")
    }

    @Test(arguments: StoreEngine.complete)
    func anOptedOutContactComesWithItsTally(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        try Seed.pipeline(store, Self.numbers.map { SeedRow(phone: $0, e164: $0) })
        try store.appendConsent([
            ConsentEvent(
                address: Self.numbers[1], contactID: nil, channel: .whatsapp, kind: .optOut, at: 5, recordedAt: 5,
                method: .keywordReply, ref: "stop")
        ])
        var states: [String: ConsentState] = [:]
        try store.replaceWavePlan("w", policy: ConsentPolicy(), dryRun: true) { tables in
            try tables.forEachCandidate(list: .whatsappReady) { states[$0.e164 ?? ""] = $0.tally.state }
        }
        #expect(states == [Self.numbers[0]: .unknown, Self.numbers[1]: .optedOut, Self.numbers[2]: .unknown])
        #expect(try store.plannedTemplates("w", after: 0, limit: 10).isEmpty, "a dry-run plan was kept")
    }
}
