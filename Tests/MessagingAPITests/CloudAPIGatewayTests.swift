import Foundation
import Testing
import WamigrateModel

@testable import MessagingAPI

/// What wave send does with each Cloud API answer, and the template object it sends.
@Suite("Cloud API gateway")
struct CloudAPIGatewayTests {
    @Test(arguments: [
        (400, 130429, "retry"), (400, 131056, "retry"), (429, 0, "retry"), (503, 131016, "retry"),
        // A 5xx that does not say the message was refused may come after the platform took it.
        (503, 0, "unknown"), (504, 0, "unknown"), (500, 1, "unknown"), (500, 131000, "unknown"),
        (400, 131049, "refused marketing_limit"), (400, 131026, "refused undeliverable"),
        (400, 131047, "refused outside_window"), (404, 132001, "stop"), (400, 132015, "stop"), (400, 368, "stop"),
        (400, 131031, "stop"), (401, 190, "stop"), (400, 100, "refused refused_100"),
    ])
    func eachErrorCodeHasItsHandling(status: Int, code: Int, expected: String) {
        let answer = CloudAPIGateway.classify(status: status, code: code, message: "m", retryAfter: nil)
        let word: String
        switch answer {
        case .retry: word = "retry"
        case .refused(_, let reason): word = "refused \(reason.rawValue)"
        case .stop: word = "stop"
        case .accepted: word = "accepted"
        case .unknown: word = "unknown"
        }
        #expect(word == expected, "HTTP \(status) code \(code)")
    }

    @Test func positionalAndNamedParametersAreSentAsTheTemplateExpects() throws {
        let positional = CloudAPIGateway.payload(
            to: .number("+49 1512 3456789"), template: "payment_due", language: "de",
            parameters: [("1", "Anna"), ("2", "89.90")], callback: "wave:w:c1")
        #expect(positional["to"] as? String == "4915123456789")
        #expect(positional["biz_opaque_callback_data"] as? String == "wave:w:c1")
        let template = try #require(positional["template"] as? [String: Any])
        let body = try #require((template["components"] as? [[String: Any]])?.first)
        let items = try #require(body["parameters"] as? [[String: Any]])
        #expect(items.map { $0["text"] as? String } == ["Anna", "89.90"])
        #expect(items.allSatisfy { $0["parameter_name"] == nil })

        let named = CloudAPIGateway.payload(
            to: .number("+4915123456789"), template: "t", language: "en", parameters: [("first_name", "Anna")], callback: "k")
        let namedItems =
            ((named["template"] as? [String: Any])?["components"] as? [[String: Any]])?.first?["parameters"]
            as? [[String: Any]]
        #expect(namedItems?.first?["parameter_name"] as? String == "first_name")

        let bare = CloudAPIGateway.payload(to: .number("+1"), template: "t", language: "en", parameters: [], callback: "k")
        #expect((bare["template"] as? [String: Any])?["components"] == nil, "no empty components array")

        // A BSUID goes in `recipient`, never in `to` (the platform drops a BSUID put there).
        let user = CloudAPIGateway.payload(to: .user("DE.Kq81X"), template: "t", language: "en", parameters: [], callback: "k")
        #expect(user["recipient"] as? String == "DE.Kq81X" && user["to"] == nil)
    }

    @Test func aPersonWhoMovedOffTheirNumberIsReachedByTheirUserIDOrHeld() {
        #expect(
            WaveAddressing.decide(e164: "+4915123456789", move: nil, category: "MARKETING") == .send(.number("+4915123456789")))
        let moved = NumberMove(userID: "DE.Anna2", newWaID: "4915199999999")
        #expect(WaveAddressing.decide(e164: "+4915123456789", move: moved, category: "UTILITY") == .send(.user("DE.Anna2")))
        #expect(
            WaveAddressing.decide(e164: "+4915123456789", move: moved, category: "AUTHENTICATION")
                == .hold(reason: .numberChangedAuthenticationNeedsNumber))
        #expect(
            WaveAddressing.decide(e164: "+4915123456789", move: NumberMove(userID: nil, newWaID: nil), category: "MARKETING")
                == .hold(reason: .numberChangedNoUserID))
    }
}
