import Crypto
import Foundation
import Logging
import TemplateRules
import WamigrateBase
import WamigrateCore
import WamigrateHTTP
import WamigrateModel

/// `templates submit`: sends creation payloads to a Cloud-API-compatible
/// endpoint. Refuses payloads that lint with errors; skips templates the
/// endpoint already has (same name and language); keeps to the hourly creation
/// limit (the rest is deferred to a later run); records every answer in the
/// job store, writing `sending` before each request.
public final class TemplateSubmitter {
    public struct Options: Sendable {
        /// Base URL; the request goes to `<endpoint>/<waba>/message_templates`
        /// (for Meta: `https://graph.facebook.com/v21.0`).
        public var endpoint: String
        public var wabaID: String
        public var token: String
        /// Creations per WABA per rolling hour (Meta: 100).
        public var hourlyLimit = 100
        public var http = HTTPClient.Configuration()
        public var retry = RetryPolicy(maxAttempts: 5)
        /// Unix seconds; injected by tests.
        public var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

        public init(endpoint: String, wabaID: String, token: String) {
            self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
            self.wabaID = wabaID
            self.token = token
        }
    }

    public struct Item: Codable, Sendable {
        public var name: String
        public var language: String
        /// created | exists | refused | deferred
        public var outcome: String
        public var templateID: String?
        public var status: String?
        public var category: String?
        public var reason: String?
    }

    public struct Summary: Codable, Sendable {
        public var items: [Item] = []
        /// When deferred templates can go (Unix seconds), if any are.
        public var retryAt: Int64?
        public func count(_ outcome: String) -> Int { items.filter { $0.outcome == outcome }.count }
    }

    let options: Options
    let store: any TemplateStore
    let http: HTTPClient
    let logger: Logger

    public init(options: Options, store: any TemplateStore, logger: Logger) {
        self.options = options
        self.store = store
        self.http = HTTPClient(configuration: options.http)
        self.logger = logger
    }

    var url: String { "\(options.endpoint)/\(options.wabaID)/message_templates" }

    public func submit(files: [String]) throws -> Summary {
        let (templates, unreadable) = TemplateLinter.read(files: files)
        let errors = (unreadable + TemplateLinter.lint(templates)).filter { $0.severity == .error }
        if let first = errors.first {
            throw WamigrateError(
                .templateInvalid,
                "\(errors.count) lint errors; nothing was sent. First: \(first.location): \(first.rule.rawValue) \(first.message)",
                hint: "run `wamigrate scenarios lint` on the same files and fix every error")
        }
        let existing = try fetchExisting()
        let previous = Dictionary(
            try store.submissions(wabaID: options.wabaID).map { ("\($0.name)/\($0.language)", $0) },
            uniquingKeysWith: { a, _ in a })
        var summary = Summary()
        for (template, _) in templates {
            let key = "\(template.name)/\(template.language)"
            let data = try template.encoded()
            var record = TemplateSubmission(
                wabaID: options.wabaID, name: template.name, language: template.language, category: template.category,
                payloadSHA256: SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined(), sentAt: options.now())
            if let found = existing[key] {
                // Ours from an earlier run keeps its creation time (the hourly limit counts it);
                // a request that was in flight when a run died did create it.
                if let earlier = previous[key], earlier.state == "created" || earlier.state == "sending" {
                    record = earlier
                    record.state = "created"
                } else {
                    record.state = "exists"
                }
                record.templateID = found.id
                record.status = found.status
                record.answeredCategory = found.category
                try store.saveSubmission(record)
                try keepParameters(template)
                summary.items.append(
                    Item(
                        name: template.name, language: template.language, outcome: "exists", templateID: found.id,
                        status: found.status, category: found.category))
                continue
            }
            let hourAgo = options.now() - 3600
            if try store.creationsSent(wabaID: options.wabaID, since: hourAgo) >= options.hourlyLimit {
                summary.items.append(
                    Item(name: template.name, language: template.language, outcome: "deferred", reason: "hourly creation limit"))
                summary.retryAt = try oldestCreation(since: hourAgo).map { $0 + 3600 }
                continue
            }
            try store.saveSubmission(record)
            let item = try create(template, body: data, record: &record)
            try store.saveSubmission(record)
            try keepParameters(template)
            if item.outcome == "deferred" { summary.retryAt = options.now() + 3600 }
            summary.items.append(item)
        }
        return summary
    }

    /// The body's variables, for `wave plan` to check its `--param`s against.
    private func keepParameters(_ template: TemplatePayload) throws {
        let tokens = PlaceholderScan(template.component("BODY")?.text ?? "").tokens.map(\.content)
        var seen = Set<String>()
        try store.saveBodyParameters(
            wabaID: options.wabaID, name: template.name, language: template.language,
            tokens.filter { seen.insert($0).inserted })
    }

    private func oldestCreation(since: Int64) throws -> Int64? {
        try store.submissions(wabaID: options.wabaID).filter {
            $0.sentAt >= since && $0.state != "exists" && $0.state != "deferred"
        }
        .map(\.sentAt).min()
    }

    // MARK: - HTTP

    private func create(_ template: TemplatePayload, body: Data, record: inout TemplateSubmission) throws -> Item {
        var item = Item(name: template.name, language: template.language, outcome: "created")
        let response = try send(HTTPRequest(url: url, headers: headers + [("Content-Type", "application/json")], body: body))
        let answer = try? JSONDecoder().decode(GraphAnswer.self, from: response.body)
        switch response.status {
        case 200:
            guard let id = answer?.id else {
                throw WamigrateError(
                    .remote, "the endpoint created \(template.name) but sent no id",
                    hint: "check the endpoint; run again: it is skipped if it exists")
            }
            record.state = "created"
            record.templateID = id
            record.status = answer?.status
            record.answeredCategory = answer?.category
            record.reason = answer?.rejectedReason
            item.templateID = id
            item.status = answer?.status
            item.category = answer?.category
            item.reason = answer?.rejectedReason
        case 429 where answer?.error?.code == 80_007:
            record.state = "deferred"
            item.outcome = "deferred"
            item.reason = "the endpoint's hourly creation limit"
        default:
            let error = answer?.error
            record.state = error?.errorSubcode == 2_388_024 ? "exists" : "refused"
            record.reason =
                error.map { "\($0.code ?? 0)/\($0.errorSubcode ?? 0): \($0.errorUserMsg ?? $0.message ?? "")" }
                ?? "HTTP \(response.status)"
            item.outcome = record.state
            item.reason = record.reason
        }
        return item
    }

    /// name/language → the endpoint's template, following `paging.next`.
    private func fetchExisting() throws -> [String: GraphAnswer] {
        var found: [String: GraphAnswer] = [:]
        var next: String? = url + "?fields=id,name,language,status,category&limit=200"
        var pages = 0
        while let page = next, pages < 100 {
            pages += 1
            let response = try send(HTTPRequest(url: page, headers: headers))
            guard response.status == 200, let list = try? JSONDecoder().decode(GraphList.self, from: response.body) else {
                throw WamigrateError(
                    .remote, "listing the WABA's templates failed: HTTP \(response.status)",
                    hint: "check --endpoint and --waba-id")
            }
            for item in list.data { found["\(item.name ?? "")/\(item.language ?? "")"] = item }
            next = list.paging?.next
        }
        return found
    }

    private var headers: [(String, String)] { [("Authorization", "Bearer \(options.token)")] }

    /// Retries transport errors, 5xx and 429 other than the hourly limit; 401/403 stop the run.
    private func send(_ request: HTTPRequest) throws -> HTTPResponse {
        var attempt = 0
        var problem = ""
        while attempt < options.retry.maxAttempts {
            attempt += 1
            do {
                let response = try http.send(request)
                if response.status == 401 || response.status == 403 {
                    throw WamigrateError(
                        .auth, "the endpoint refused the token (HTTP \(response.status))",
                        hint: "check the variable named by --token-env; it must hold a token with whatsapp_business_management")
                }
                let limited = (try? JSONDecoder().decode(GraphAnswer.self, from: response.body))?.error?.code == 80_007
                guard response.status >= 500 || (response.status == 429 && !limited) else { return response }
                problem = "HTTP \(response.status)"
                logger.info("templates: \(problem); attempt \(attempt) of \(options.retry.maxAttempts)")
                if attempt < options.retry.maxAttempts {
                    Thread.sleep(forTimeInterval: options.retry.delay(after: attempt, retryAfter: response.retryAfter()))
                }
            } catch let error as HTTPError {
                problem = "\(error)"
                logger.info("templates: \(problem); attempt \(attempt) of \(options.retry.maxAttempts)")
                if attempt < options.retry.maxAttempts {
                    Thread.sleep(forTimeInterval: options.retry.delay(after: attempt, retryAfter: nil))
                }
            }
        }
        throw WamigrateError(
            .remote, "the template endpoint failed \(attempt) times; last: \(problem)",
            hint: "run the same command later: created templates are skipped")
    }
}

/// The Graph API answers this submitter reads.
struct GraphAnswer: Decodable {
    var id: String?
    var name: String?
    var language: String?
    var status: String?
    var category: String?
    var rejectedReason: String?
    var error: GraphError?

    enum CodingKeys: String, CodingKey {
        case id, name, language, status, category, error
        case rejectedReason = "rejected_reason"
    }

    struct GraphError: Decodable {
        var message: String?
        var code: Int?
        var errorSubcode: Int?
        var errorUserMsg: String?
        enum CodingKeys: String, CodingKey {
            case message, code
            case errorSubcode = "error_subcode"
            case errorUserMsg = "error_user_msg"
        }
    }
}

struct GraphList: Decodable {
    var data: [GraphAnswer]
    var paging: Paging?
    struct Paging: Decodable { var next: String? }
}
