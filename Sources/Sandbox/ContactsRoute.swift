import Foundation
import HTTPServing
import Hummingbird

/// `POST /v1/contacts`: bearer token, then `contacts` (required), `blocking`
/// (`wait` | `no_wait`, default `no_wait`) and `force_check`. Faults from the
/// plan are applied after the request is validated.
struct ContactsRoute: Sendable {
    var state: SandboxState
    var book: RegistrationBook
    var configuration: SandboxConfiguration

    func handle(_ request: Request) async throws -> Response {
        guard let token = Self.bearer(request.headers[.authorization]), state.isValid(token: token) else {
            state.countRejected(status: 401)
            return WireJSON.error(.unauthorized, code: 1005, title: "Access denied", details: "missing, unknown or expired token")
        }
        let body = try await request.body.collect(upTo: 16 << 20)
        let parsed: (contacts: [String], wait: Bool)
        switch Self.parse(Data(buffer: body), max: configuration.maxContactsPerRequest) {
        case .success(let value): parsed = value
        case .failure(let problem):
            state.countRejected(status: 400)
            return WireJSON.error(.badRequest, code: problem.code, title: problem.title, details: problem.details)
        }
        let sequence = state.nextRequest()
        let fault =
            configuration.faultRoutes.contains(.contacts)
            ? configuration.faults.draw(sequence: sequence, seed: configuration.seed) : nil
        if let fault { state.count(fault: fault) }
        switch fault {
        case .tooMany:
            return WireJSON.error(
                .tooManyRequests, code: 1015, title: "Too many requests", details: "slow down",
                headers: [.retryAfter: String(configuration.retryAfterSeconds)])
        case .internalError:
            return WireJSON.error(.internalServerError, code: 1014, title: "Internal error", details: "injected fault")
        case .unavailable:
            return WireJSON.error(.serviceUnavailable, code: 1011, title: "Service not ready", details: "injected fault")
        case .expire:
            state.revoke(token: token)
            return WireJSON.error(.unauthorized, code: 1005, title: "Access denied", details: "token expired")
        case .slow:
            try await Task.sleep(nanoseconds: UInt64(configuration.slowSeconds * 1e9))
        case .timeout:
            try await Task.sleep(nanoseconds: UInt64(configuration.hangSeconds * 1e9))
        case .reset:
            return ServerPolicy.dropConnection()
        case .truncated, .malformed, .drop, .gatewayTimeout, nil:
            break
        }
        var items: [[String: Any]] = []
        var numbers: [String] = []
        for input in parsed.contacts {
            let digits = String(input.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
            numbers.append(digits)
            switch (parsed.wait, book.answer(digits: digits)) {
            case (false, _): items.append(["input": input, "status": "processing"])
            case (true, .valid(let waID)): items.append(["input": input, "status": "valid", "wa_id": waID])
            case (true, .invalid): items.append(["input": input, "status": "invalid"])
            }
        }
        let good = WireJSON.response(.ok, ["contacts": items])
        switch fault {
        case .truncated:
            let data = (try? JSONSerialization.data(withJSONObject: ["contacts": items], options: [.sortedKeys])) ?? Data()
            return WireJSON.raw(.ok, data.prefix(max(1, data.count / 2)))
        case .malformed:
            return WireJSON.raw(.ok, Data("<html><body>502 upstream hiccup</body></html>".utf8))
        case .timeout:
            return good  // the client has given up by now; this answer is not counted
        case .drop:
            return ServerPolicy.dropConnection()  // answered, but the client never hears it
        case .gatewayTimeout:
            return WireJSON.raw(.gatewayTimeout, Data("<html><body>504 Gateway Time-out</body></html>".utf8))
        default:
            state.answered(numbers)
            return good
        }
    }

    struct Problem: Error {
        var code: Int
        var title: String
        var details: String
    }

    /// The request body; a field of the wrong type fails decoding (1009), a missing `contacts` is 1008.
    private struct Body: Decodable {
        var contacts: [String]?
        var blocking: String?
        var forceCheck: Bool?

        enum CodingKeys: String, CodingKey {
            case contacts, blocking
            case forceCheck = "force_check"
        }
    }

    static func parse(_ data: Data, max: Int) -> Result<(contacts: [String], wait: Bool), Problem> {
        let invalid = "Parameter value is not valid"
        guard let body = try? JSONDecoder().decode(Body.self, from: data) else {
            return .failure(
                Problem(
                    code: 1009, title: invalid,
                    details:
                        "the body must be a JSON object: contacts (strings), blocking (wait | no_wait), force_check (boolean)"))
        }
        guard let contacts = body.contacts else {
            return .failure(Problem(code: 1008, title: "Required parameter is missing", details: "contacts"))
        }
        guard !contacts.isEmpty, contacts.count <= max else {
            return .failure(Problem(code: 1009, title: invalid, details: "contacts must hold 1 to \(max) numbers"))
        }
        let mode = body.blocking ?? "no_wait"
        guard mode == "wait" || mode == "no_wait" else {
            return .failure(Problem(code: 1009, title: invalid, details: "blocking must be wait or no_wait"))
        }
        return .success((contacts, mode == "wait"))
    }

    static func bearer(_ header: String?) -> String? {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }
}
