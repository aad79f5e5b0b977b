import Testing

@testable import WamigrateCore

@Suite("Cloud API statuses as received")
struct DeliveryStatusTests {
    static func line(status: String, code: String) -> Substring {
        Substring(
            #"{"statuses":[{"id":"wamid.A","status":"\#(status)","timestamp":"1900000000","recipient_id":"4915123456789","errors":[{"code":\#(code),"title":"x"}]}]}"#
        )
    }

    @Test("an error code sent as a string is the same code: 131026 is still evidence")
    func stringCodes() throws {
        let parsed = try DeliveryStatus.parse(line: Self.line(status: "failed", code: #""131026""#), number: 1, file: "s.jsonl")
        #expect(parsed.first?.errorCodes == [131026])
        #expect(parsed.first?.undeliverable == true)
    }

    @Test("a status word the platform does not send is not kept as if it did")
    func unknownStatuses() throws {
        let webhook = try DeliveryStatus.parse(
            line: Self.line(status: "delivred", code: "1"), number: 1, file: "s.jsonl", webhook: true)
        #expect(webhook.isEmpty)
        #expect(throws: (any Error).self) {
            try DeliveryStatus.parse(line: Self.line(status: "delivred", code: "1"), number: 3, file: "s.jsonl")
        }
    }

    @Test("a status without a timestamp takes the time its webhook was received, never 1970")
    func missingTimestamps() throws {
        let timeless = Substring(#"{"statuses":[{"id":"wamid.B","status":"delivered","recipient_id":"4915123456789"}]}"#)
        let webhook = try DeliveryStatus.parse(
            line: timeless, number: 0, file: "serve", webhook: true, receivedAt: 1_796_000_000)
        #expect(webhook.first?.timestamp == 1_796_000_000)
        #expect(throws: (any Error).self) { try DeliveryStatus.parse(line: timeless, number: 4, file: "s.jsonl") }
    }
}
