import Foundation
import Testing
import WamigrateModel

/// Webhook bodies, statuses and template records through `WebhookStore` and `TemplateStore`.
@Suite("Store: webhooks and templates")
struct WebhookStoreTests {
    @Test(arguments: StoreEngine.complete)
    func theSameBodyIsKeptOnceAndProcessedOnce(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        let body = Data(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)
        let id = try #require(try store.appendWebhook(body, origin: "test", signature: "sha256=00", at: 1))
        #expect(try store.appendWebhook(body, origin: "test", signature: "sha256=00", at: 2) == nil)
        #expect(try store.unprocessedWebhooks(limit: 10).map(\.id) == [id])
        try store.markWebhooksProcessed([id], at: 3)
        #expect(try store.unprocessedWebhooks(limit: 10).isEmpty)
    }

    @Test(arguments: StoreEngine.complete)
    func aStatusIsKeptOncePerMessageStatusAndTime(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        let inbox = try #require(try store.appendWebhook(Data("{}".utf8), origin: "t", signature: "s", at: 1))
        let delivered = StatusRecord(
            wamid: "wamid.A", status: .delivered, at: 100, recipient: "4915100000001", userID: "DE.u1", errorCodes: [],
            errorTitle: nil, callback: "wave:w:c1")
        #expect(try store.recordStatuses([(inbox, delivered)]) == ["4915100000001"])
        #expect(try store.recordStatuses([(inbox, delivered)]).isEmpty, "a redelivered status counted again")
        let kept = try store.statuses(recipients: ["4915100000001"])
        #expect(kept.map(\.status) == [.delivered] && kept.first?.userID == "DE.u1")
    }

    @Test(arguments: StoreEngine.complete)
    func anOlderTemplateUpdateNeverOverwritesANewerOne(_ engine: StoreEngine) throws {
        let (store, folder) = try engine.fresh()
        defer { withExtendedLifetime(folder) {} }  // the store file must outlive the test
        var submission = TemplateSubmission(
            wabaID: "1", name: "welcome", language: "de", category: "MARKETING", payloadSHA256: "00", sentAt: 10)
        submission.state = "created"
        submission.templateID = "77"
        submission.status = "PENDING"
        try store.saveSubmission(submission)
        #expect(
            try store.applyTemplateUpdate(
                templateID: "77", name: nil, language: nil, status: "PAUSED", category: nil, reason: nil, quality: nil,
                at: 300))
        #expect(
            try !store.applyTemplateUpdate(
                templateID: "77", name: nil, language: nil, status: "APPROVED", category: nil, reason: nil,
                quality: nil, at: 200), "an older APPROVED overwrote a newer PAUSED")
        #expect(try store.templateRecord(name: "welcome", language: "de")?.status == "PAUSED")
    }
}
