import WamigrateHTTP

/// What every gateway does with an exchange that went wrong before its own codes are read,
/// and how long the send loop waits before the next attempt. A request that never connected
/// was not taken and may go again; one that went out and got no answer, or a 5xx that says
/// nothing more, may have been taken and is in doubt.
struct GatewayRetryPolicy: Sendable {
    var retry: RetryPolicy

    /// Sends `request`; a transport failure is answered here, a response by `answer`.
    static func exchange(
        _ request: HTTPRequest, over http: HTTPClient, answer: (HTTPResponse) -> SendAnswer
    ) -> SendAnswer {
        do { return answer(try http.send(request)) } catch { return Self.answer(to: error) }
    }

    static func answer(to error: HTTPError) -> SendAnswer {
        error.kind == .connect ? .retry(after: nil, why: error.description) : .unknown(error.description)
    }

    /// The answers HTTP status alone gives: 429 is a retry after its `Retry-After`; a 5xx may come
    /// after the provider took the message (a 504 from a proxy). Nil: the gateway's own codes decide.
    static func answer(status: Int, retryAfter: Double?, detail: String) -> SendAnswer? {
        let said = detail.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(detail)"
        switch status {
        case 429: return .retry(after: retryAfter, why: said)
        case 500...599: return .unknown("\(said): the message may have been taken")
        default: return nil
        }
    }

    /// Seconds to wait before attempt `attempt + 1`; nil when `attempt` was the last one allowed.
    func wait(after attempt: Int, retryAfter: Double?, random: Double = Double.random(in: 0...1)) -> Double? {
        attempt < retry.maxAttempts ? retry.delay(after: attempt, retryAfter: retryAfter, random: random) : nil
    }
}
