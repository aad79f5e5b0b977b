import Foundation
import Testing
import WamigrateBase
import WamigrateCore

@Suite("Webhook signature")
struct WebhookSignatureTests {
    let secret = Data("app-secret-0123456789".utf8)
    let body = Data(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)

    @Test func theSendersHeaderIsAccepted() {
        #expect(WebhookSignature.isValid(body: body, header: WebhookSignature.header(body: body, secret: secret), secret: secret))
    }

    @Test func anythingElseIsRefused() {
        let good = WebhookSignature.header(body: body, secret: secret)
        #expect(!WebhookSignature.isValid(body: body, header: nil, secret: secret), "missing")
        #expect(!WebhookSignature.isValid(body: body, header: "sha1=" + good.dropFirst(7), secret: secret), "wrong scheme")
        #expect(!WebhookSignature.isValid(body: body, header: String(good.dropLast(2)), secret: secret), "truncated")
        #expect(!WebhookSignature.isValid(body: body, header: good.replacingOccurrences(of: "a", with: "b"), secret: secret))
        #expect(
            !WebhookSignature.isValid(body: body, header: good, secret: Data("another-secret-0123".utf8)), "other secret")
        // Re-serialized JSON is other bytes: the signature is of the raw body.
        let spaced = Data(#"{"object": "whatsapp_business_account", "entry": []}"#.utf8)
        #expect(!WebhookSignature.isValid(body: spaced, header: good, secret: secret))
    }
}
