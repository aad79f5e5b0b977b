import Testing
import WamigrateHTTP

@testable import MessagingAPI

/// What every gateway does with an exchange that went wrong, and how long the send loop waits.
@Suite("Gateway retry policy")
struct GatewayRetryPolicyTests {
    @Test(arguments: [
        (HTTPError.Kind.connect, "retry"), (.timeout, "unknown"), (.afterSending, "unknown"), (.transport, "unknown"),
        (.tls, "unknown"),
    ])
    func onlyARequestThatNeverConnectedIsSentAgain(kind: HTTPError.Kind, expected: String) {
        let answer = GatewayRetryPolicy.answer(to: HTTPError(kind: kind, message: "m"))
        switch answer {
        case .retry(let after, _): #expect(expected == "retry" && after == nil, "\(kind)")
        case .unknown: #expect(expected == "unknown", "\(kind)")
        default: Issue.record("\(kind): \(answer)")
        }
    }

    @Test func statusAloneSaysRetryAfterOrInDoubtOrLeavesItToTheGateway() {
        #expect(
            GatewayRetryPolicy.answer(status: 429, retryAfter: 3, detail: "20429") == .retry(after: 3, why: "HTTP 429 20429"))
        #expect(GatewayRetryPolicy.answer(status: 429, retryAfter: nil, detail: "") == .retry(after: nil, why: "HTTP 429"))
        for status in [500, 502, 503, 504] {
            guard case .unknown = GatewayRetryPolicy.answer(status: status, retryAfter: nil, detail: "") else {
                Issue.record("HTTP \(status) may have been taken: in doubt")
                continue
            }
        }
        for status in [200, 201, 400, 401, 403, 404] {
            #expect(GatewayRetryPolicy.answer(status: status, retryAfter: nil, detail: "") == nil, "HTTP \(status)")
        }
    }

    @Test func theWaitGrowsIsCappedObeysRetryAfterAndEndsWithTheLastAttempt() {
        let policy = GatewayRetryPolicy(retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.5, maxDelay: 1))
        #expect(policy.wait(after: 1, retryAfter: nil, random: 1) == 0.5)
        #expect(policy.wait(after: 2, retryAfter: nil, random: 1) == 1)
        #expect(policy.wait(after: 2, retryAfter: 7, random: 0) == 7, "Retry-After is obeyed")
        #expect(policy.wait(after: 2, retryAfter: 600, random: 0) == 120, "up to the longest Retry-After obeyed")
        #expect(policy.wait(after: 3, retryAfter: nil) == nil, "no fourth attempt")
        #expect(policy.wait(after: 3, retryAfter: 1) == nil)
    }
}
