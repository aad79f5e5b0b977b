import Foundation
import HTTPServing
import Hummingbird

/// `--faults` on the messaging and template routes, in each API's own words. A fault
/// strikes either before the request is taken (429, 500, 503, reset, expire: nothing
/// happened) or after it (drop, 504, truncated, malformed, timeout: the message went out
/// and the answer is lost or garbled); `slow` only delays. Which request gets which fault
/// is a keyed hash of its sequence number, so a seed replays the same faults.
struct FaultGate: Sendable {
    enum Dialect: Sendable {
        /// The Graph API's `{"error":{message,type,code,…}}`.
        case graph
        /// Twilio's `{code, message, more_info, status}`.
        case twilio
        /// Viber's REST API (errors come as HTTP statuses from its front end).
        case viber
    }

    var configuration: SandboxConfiguration
    var state: SandboxState

    /// The fault for the next request on `route`, counted in `/_sandbox/stats`.
    func draw(_ route: FaultRoute) -> FaultPlan.Kind? {
        guard configuration.faultRoutes.contains(route) else { return nil }
        let fault = configuration.faults.draw(sequence: state.nextFaultDraw(), seed: configuration.seed ^ 0xFA17)
        if let fault { state.count(fault: fault) }
        return fault
    }

    /// The answer instead of taking the request, or nil to take it.
    func refusal(_ fault: FaultPlan.Kind?, _ dialect: Dialect) async throws -> Response? {
        switch fault {
        case .tooMany:
            return error(.tooManyRequests, dialect, graph: 130_429, twilio: 20_429, "Rate limit hit")
        case .internalError:
            return error(.internalServerError, dialect, graph: 1, twilio: 20_500, "An unknown error occurred")
        case .unavailable:
            return error(.serviceUnavailable, dialect, graph: 2, twilio: 20_503, "Service temporarily unavailable")
        case .expire:
            return error(.unauthorized, dialect, graph: 190, twilio: 20_003, "Error validating access token: Session has expired")
        case .reset:
            return ServerPolicy.dropConnection()
        case .slow:
            try await Task.sleep(nanoseconds: UInt64(configuration.slowSeconds * 1e9))
            return nil
        default:
            return nil
        }
    }

    /// The answer to a request that was taken: `status` and `object`, or what the fault makes of them.
    func answer(_ fault: FaultPlan.Kind?, _ status: HTTPResponse.Status, _ object: [String: Any]) async throws -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        switch fault {
        case .drop:
            return ServerPolicy.dropConnection()
        case .gatewayTimeout:
            return html(.gatewayTimeout, "504 Gateway Time-out")
        case .truncated:
            return WireJSON.raw(status, data.prefix(max(1, data.count / 2)))
        case .malformed:
            return html(.ok, "502 upstream hiccup")
        case .timeout:
            try await Task.sleep(nanoseconds: UInt64(configuration.hangSeconds * 1e9))
            return WireJSON.raw(status, data)
        default:
            return WireJSON.raw(status, data)
        }
    }

    private func error(
        _ status: HTTPResponse.Status, _ dialect: Dialect, graph: Int, twilio: Int, _ message: String
    ) -> Response {
        let headers: HTTPFields = status == .tooManyRequests ? [.retryAfter: String(configuration.retryAfterSeconds)] : [:]
        let object: [String: Any]
        switch dialect {
        case .graph:
            object = ["error": ["message": message, "type": "OAuthException", "code": graph, "fbtrace_id": "sandbox"]]
        case .twilio:
            object = [
                "code": twilio, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(twilio)",
                "status": Int(status.code),
            ]
        case .viber:
            return html(status, "\(status.code) \(status.reasonPhrase)", headers: headers)
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return WireJSON.raw(status, data, headers: headers)
    }

    private func html(_ status: HTTPResponse.Status, _ title: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html"
        let page = "<html><head><title>\(title)</title></head><body><h1>\(title)</h1></body></html>"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}
