import Foundation
import Testing
import WamigrateModel

/// What an auditor (and the end-to-end tests) reads through `JobReading`: answers, batches,
/// the whole ledger, identities, the inbox and runs, each as the writing protocols left them.
@Suite("Store: reading a job")
struct ReadingStoreTests {
    @Test(arguments: StoreEngine.reading)
    func answersAndBatchesReadBackAsVerifyLeftThem(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.freshReading()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        let numbers = (1...3).map { "+49151000000\($0)" }
        try Seed.pipeline(store, numbers.map { SeedRow(phone: $0, e164: $0) })
        let batches = store.verifyBatches()
        _ = try batches.plan(
            runID: 1, freshAfter: 0, forceCheck: false, limit: nil, allowOverBudget: false, size: 2, dryRun: false)
        let open = try batches.open(runID: 1)
        #expect(try store.verifyBatchRecords().map(\.size) == [2, 1])
        #expect(try store.verifyBatchRecords().allSatisfy { $0.state == .pending })
        try batches.markSent(open[0].id)
        try batches.complete(
            open[0].id,
            answer: BatchAnswer(
                answers: open[0].numbers.map { CheckAnswer(input: $0, answer: "valid", waID: String($0.dropFirst())) },
                httpStatus: 200, attempts: 1), verifier: "contacts-api", at: 100, runID: 1)
        #expect(try store.verifyBatchRecords().map(\.state) == [.done, .pending])
        let answers = try store.registrations()
        #expect(answers.map(\.e164) == Array(numbers.prefix(2)), "one answer per number of the answered batch")
        #expect(answers.allSatisfy { $0.status == .onWhatsApp && $0.verifier == "contacts-api" && $0.answer == "valid" })
        #expect(answers.map(\.waID) == numbers.prefix(2).map { String($0.dropFirst()) })
    }

    @Test(arguments: StoreEngine.reading)
    func theWholeLedgerReadsBackInTheOrderItWasAppended(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.freshReading()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        func event(_ address: String, _ kind: ConsentEvent.Kind, _ ref: String, _ method: ConsentEvent.Method)
            -> ConsentEvent
        {
            ConsentEvent(
                address: address, contactID: nil, channel: .whatsapp, kind: kind, at: 100, recordedAt: 200, method: method,
                ref: ref)
        }
        try store.appendConsent([
            event("bsuid:DE.a1", .optOut, "m1", .keywordReply), event("+4915100000001", .optOut, "p1", .whatsappPreference),
        ])
        try store.appendConsent([event("bsuid:DE.a1", .optOut, "m1", .keywordReply)])
        #expect(
            try store.consentEvents().map { "\($0.address) \($0.kind.rawValue) \($0.method.rawValue)" } == [
                "bsuid:DE.a1 opt_out keyword_reply", "+4915100000001 opt_out whatsapp_preference",
            ])
    }

    @Test(arguments: StoreEngine.reading)
    func identitiesChangesAndLimitsReadBackAsRecorded(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.freshReading()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        try store.recordIdentities(
            [
                UserIdentity(
                    userID: "DE.b2", waID: "4915100000001", parentUserID: "DE.ENT.p", username: nil, at: 10, source: "status"),
                UserIdentity(userID: "US.k9", waID: nil, parentUserID: nil, username: "@kai", at: 11, source: "message"),
            ],
            changes: [
                IdentityChange(
                    kind: "user_changed_number", previousUserID: nil, userID: "DE.b2", previousWaID: "4915100000001",
                    waID: "4915199999999", at: 12, origin: "test")
            ])
        try store.recordPlatformLimits([
            PlatformLimit(field: "business_capability_update", event: nil, tier: 10_000, raw: "10000", at: 20, origin: "t"),
            PlatformLimit(
                field: "phone_number_quality_update", event: "UPGRADE", tier: nil, raw: "TIER_UNLIMITED", at: 21, origin: "t"),
        ])
        #expect(
            try store.userIdentities().map { [$0.userID, $0.waID ?? "-", $0.parentUserID ?? "-", $0.username ?? "-"] } == [
                ["DE.b2", "4915100000001", "DE.ENT.p", "-"], ["US.k9", "-", "-", "@kai"],
            ])
        #expect(
            try store.identityChanges().map { [$0.kind, $0.userID ?? "-", $0.waID ?? "-"] } == [
                ["user_changed_number", "DE.b2", "4915199999999"]
            ])
        #expect(try store.platformLimits().map(\.tier) == [10_000, nil])
        #expect(try store.platformLimit()?.raw == "TIER_UNLIMITED", "the newest is the one in force")
    }

    /// The receiver keeps a signed body as the bytes it was signed as (invalid UTF-8 and a NUL
    /// included), once however often it comes; the job takes it in as the same bytes.
    @Test(arguments: StoreEngine.reading)
    func aSpooledBodyReachesTheInboxByteForByteAndOnce(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.freshReading()
        defer { withExtendedLifetime(folder) {} }  // the spool is made beside the store, in its folder
        var body = Data(#"{"object":"whatsapp_business_account","entry":[{"note":""#.utf8)
        body.append(contentsOf: [0xC3, 0x28, 0x00, 0xFF, 0x41])
        body.append(Data(#""}]}"#.utf8))
        do {
            let spool = try engine.spool(beside: store)
            #expect(try spool.append(body, at: 1))
            #expect(try !spool.append(body, at: 2), "a redelivery is kept again")
            #expect(try spool.count() == 1)
        }
        #expect(try store.spoolWatch().highWater() == 1)
        #expect(try store.drainSpool() == 1)
        #expect(try store.inboxBodies().map(\.body) == [body])
        #expect(try store.unprocessedWebhooks(limit: 10).map(\.body) == [body])
        #expect(try store.drainSpool() == 0, "drained once")
        #expect(try store.inboxBodies().count == 1)
    }

    @Test(arguments: StoreEngine.reading)
    func aRunReadsBackWithItsStatusAndWhetherItWasAudited(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.freshReading()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        try Seed.pipeline(store, [SeedRow(phone: "+4915100000001", e164: "+4915100000001")])
        let open = try store.beginRun(
            command: "next", dryRun: false, configJSON: "{}", phoneLibrary: "t", phonePackage: "t", phoneMetadata: "t")
        #expect(
            try store.runs().map { "\($0.command) \($0.status.rawValue) \($0.audited)" } == [
                "seed ok true", "next running false",
            ])
        try store.finishRun(open, ok: false, audit: false)
        #expect(try store.runs().last?.status == .failed)
    }
}
