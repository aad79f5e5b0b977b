import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateModel

/// The contacts-api verifier: `POST /v1/contacts` with `blocking: wait`, one
/// batch per call, over libcurl. Retries 429, 5xx, timeouts and unreadable
/// answers with backoff and jitter (honouring `Retry-After`, which also holds
/// back every other thread), renews the token when it expires or is rejected,
/// and paces requests to the rate limit. Safe to call from several threads.
public final class ContactsAPIClient: RegistrationChecker, @unchecked Sendable {
    public let maxBatchSize = 1000
    private let configuration: ContactsAPIConfiguration
    private let http: HTTPClient
    private let pacer: RatePacer
    private let session: TokenSession
    private let logger: Logger

    public init(configuration: ContactsAPIConfiguration, logger: Logger) {
        self.configuration = configuration
        self.http = HTTPClient(configuration: configuration.http)
        self.pacer = RatePacer(perSecond: configuration.rateLimit)
        self.session = TokenSession(configuration: configuration, http: http, logger: logger)
        self.logger = logger
    }

    public func check(_ inputs: [String], forceCheck: Bool) throws -> BatchAnswer {
        precondition(inputs.count <= maxBatchSize, "batches are never above \(maxBatchSize)")
        let body = try JSONEncoder().encode(ContactsRequest(contacts: inputs, forceCheck: forceCheck))
        let retry = configuration.retry
        var attempt = 0
        var lastProblem = ""
        while attempt < retry.maxAttempts {
            attempt += 1
            let token = try session.current()
            pacer.acquire(cost: inputs.count)
            let request = HTTPRequest(
                url: configuration.endpoint + "/v1/contacts",
                headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: body)
            let response: HTTPResponse
            do {
                response = try http.send(request)
            } catch {
                if error.kind == .tls {
                    throw WamigrateError(
                        .remote, "TLS failed: \(error.message)",
                        hint: "pass --ca-file with the server's CA, or fix its certificate")
                }
                lastProblem = "\(error)"
                backOff(attempt, retryAfter: nil, problem: lastProblem)
                continue
            }
            switch response.status {
            case 200:
                if let answers = Self.answers(response.body, for: inputs) {
                    return BatchAnswer(answers: answers, httpStatus: 200, attempts: attempt)
                }
                lastProblem = "HTTP 200 with an unreadable or incomplete body (\(response.body.count) bytes)"
                backOff(attempt, retryAfter: nil, problem: lastProblem)
            case 401:
                session.reject(token)
                lastProblem = "HTTP 401 (token rejected)"
                logger.info("contacts-api: token rejected; logging in again")
            case 429, 500...599:
                let retryAfter = response.retryAfter()
                if let retryAfter { pacer.holdOff(seconds: retryAfter) }
                lastProblem = "HTTP \(response.status)" + (Self.apiErrors(response.body).map { " (\($0))" } ?? "")
                backOff(attempt, retryAfter: retryAfter, problem: lastProblem)
            default:
                let detail = Self.apiErrors(response.body) ?? "no error envelope"
                throw WamigrateError(
                    .remote, "the contacts endpoint refused a batch: HTTP \(response.status), \(detail)",
                    hint: "this is not temporary: check the endpoint URL and API version; answered batches are kept")
            }
        }
        throw WamigrateError(
            .remote, "a batch failed \(attempt) times; last: \(lastProblem)",
            hint: "the endpoint keeps failing; run the same command later: answered batches are kept and the rest resume")
    }

    private func backOff(_ attempt: Int, retryAfter: Double?, problem: String) {
        guard attempt < configuration.retry.maxAttempts else { return }
        let delay = configuration.retry.delay(after: attempt, retryAfter: retryAfter)
        logger.info("contacts-api: \(problem); retry \(attempt + 1) in \(String(format: "%.2f", delay)) s")
        Thread.sleep(forTimeInterval: delay)
    }

    /// One answer per input, in input order; nil when the body is not that.
    static func answers(_ body: Data, for inputs: [String]) -> [CheckAnswer]? {
        guard let decoded = try? JSONDecoder().decode(ContactsResponse.self, from: body), decoded.errors == nil,
            let items = decoded.contacts, items.count == inputs.count
        else { return nil }
        var byInput: [String: ContactsResponse.Item] = [:]
        for item in items {
            guard byInput.updateValue(item, forKey: item.input) == nil else { return nil }
        }
        var answers: [CheckAnswer] = []
        answers.reserveCapacity(inputs.count)
        for input in inputs {
            guard let item = byInput[input] else { return nil }
            answers.append(CheckAnswer(input: input, answer: item.status, waID: item.waID))
        }
        return answers
    }

    static func apiErrors(_ body: Data) -> String? {
        guard let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: body), let errors = envelope.errors,
            !errors.isEmpty
        else { return nil }
        return errors.map(\.description).joined(separator: "; ")
    }
}
