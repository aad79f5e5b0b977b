import Foundation
import Testing
import WamigrateModel

/// The consent ledger through `ConsentLedgerStore` (and the identities `WebhookStore` records).
@Suite("Store: consent ledger")
struct ConsentLedgerStoreTests {
    static let number = "+4915123456789"

    static func event(_ kind: ConsentEvent.Kind, _ address: String = number, at: Int64?, ref: String)
        -> ConsentEvent
    {
        ConsentEvent(
            address: address, contactID: nil, channel: .sms, kind: kind, at: at, recordedAt: 1_900_000_000,
            method: .keywordReply, ref: ref)
    }

    @Test(arguments: StoreEngine.complete)
    func theSameEvidenceTwiceIsOneEvent(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        #expect(try store.appendConsent([Self.event(.optOut, at: 100, ref: "a")]) == 1)
        #expect(try store.appendConsent([Self.event(.optOut, at: 100, ref: "a")]) == 0)
        #expect(try store.consentHistory(addresses: [Self.number]).count == 1)
    }

    @Test(arguments: StoreEngine.complete)
    func anOptOutHoldsUntilALaterDatedOptInAndAnUndatedOneForever(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        let policy = ConsentPolicy(whatsappSources: ["keyword_reply:sms"])
        try store.appendConsent([Self.event(.optIn, at: 100, ref: "in1"), Self.event(.optOut, at: 200, ref: "out1")])
        #expect(try store.consentTally(addresses: [Self.number], policy: policy).state == .optedOut)
        try store.appendConsent([Self.event(.optIn, at: 200, ref: "in-same-second")])
        #expect(try store.consentTally(addresses: [Self.number], policy: policy).state == .optedOut, "a tie keeps the STOP")
        try store.appendConsent([Self.event(.optIn, at: 300, ref: "in2")])
        #expect(try store.consentTally(addresses: [Self.number], policy: policy).state == .optedIn)
        try store.appendConsent([Self.event(.optOut, at: nil, ref: "undated")])
        #expect(try store.consentTally(addresses: [Self.number], policy: policy).state == .optedOut)
        // History comes back undated first, then by time.
        #expect(
            try store.consentHistory(addresses: [Self.number]).map(\.ref) == ["undated", "in1", "out1", "in-same-second", "in2"])
    }

    @Test(arguments: StoreEngine.complete)
    func aStopUnderAUserIDReachesTheNumberOnceAnythingLinksThem(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        let digits = String(Self.number.dropFirst())
        try store.appendConsent([Self.event(.optOut, "bsuid:DE.second", at: 500, ref: "stop")])
        #expect(try store.consentTally(addresses: [Self.number], policy: ConsentPolicy()).state == .unknown)
        // A status saw the number with the first user id; the user later changed to the second.
        try store.recordIdentities(
            [UserIdentity(userID: "DE.first", waID: digits, parentUserID: nil, username: nil, at: 100, source: "status")],
            changes: [
                IdentityChange(
                    kind: "user_changed_user_id", previousUserID: "DE.first", userID: "DE.second", previousWaID: nil,
                    waID: nil, at: 400, origin: "test")
            ])
        #expect(try store.consentTally(addresses: [Self.number], policy: ConsentPolicy()).state == .optedOut)
        #expect(try store.consentHistory(addresses: [Self.number]).map(\.ref) == ["stop"])
    }

    @Test(arguments: StoreEngine.complete)
    func aMarketingStopBlocksMarketingOnlyUntilALaterResume(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        var stop = Self.event(.optOut, at: 100, ref: "mstop")
        stop.method = .whatsappPreference
        try store.appendConsent([stop])
        var tally = try store.consentTally(addresses: [Self.number], policy: ConsentPolicy())
        #expect(tally.state(forCategory: "MARKETING") == .optedOut && tally.state(forCategory: "UTILITY") == .unknown)
        var resume = Self.event(.optIn, at: 200, ref: "mresume")
        resume.method = .whatsappPreference
        try store.appendConsent([resume])
        tally = try store.consentTally(addresses: [Self.number], policy: ConsentPolicy())
        #expect(tally.state(forCategory: "MARKETING") != .optedOut)
    }
}
