import WamigrateBase

/// The verify stage's settings: the `verify:` section of the job config, which
/// command-line flags override. Defaults are stated on each field.
public struct VerifySettings: Codable, Sendable, Equatable {
    public enum Verifier: String, Codable, Sendable, CaseIterable {
        case contactsAPI = "contacts-api"
        case deliveryReport = "delivery-report"
        case none
    }

    /// Default `none`: statuses stay unknown.
    public var verifier: Verifier = .none
    /// contacts-api: the endpoint's base URL, user, and the environment variables holding passwords.
    public var endpoint: String?
    public var user: String?
    public var passwordEnv: String?
    /// Needed once, when the account still has its factory password (error 1024).
    public var newPasswordEnv: String?
    /// Numbers per request (default 1000, the most allowed).
    public var batchSize: Int = 1000
    /// Requests in flight at once (default 4).
    public var concurrency: Int = 4
    /// Checks per second across all requests (default: no limit).
    public var rateLimit: Double?
    /// Seconds per request before it counts as timed out (default 30).
    public var timeout: Double = 30
    /// A cached answer this many days old or older is checked again (default 7, the API's own cache; 0: always).
    public var maxAgeDays: Double = 7
    /// Ask again even for fresh cached answers, and send `force_check`.
    public var forceCheck = false
    /// Checks allowed over the job's life: the messages you will send (default:
    /// the contacts that can be messaged, i.e. with a number and not opted out).
    public var budget: Int?
    public var allowOverBudget = false
    /// Keep `valid` answers from an endpoint that says `valid` to nearly everything.
    public var trustEndpoint = false
    /// TLS: verify certificates (default on); a CA bundle to trust.
    public var insecure = false
    public var caFile: String?
    /// delivery-report: JSON Lines files of Cloud API `statuses` objects or webhook payloads.
    public var reports: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case verifier, endpoint, user, budget, timeout, insecure, reports
        case passwordEnv = "password_env"
        case newPasswordEnv = "new_password_env"
        case batchSize = "batch_size"
        case concurrency
        case rateLimit = "rate_limit"
        case maxAgeDays = "max_age_days"
        case forceCheck = "force_check"
        case allowOverBudget = "allow_over_budget"
        case trustEndpoint = "trust_endpoint"
        case caFile = "ca_file"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = VerifySettings()
        verifier = try c.decodeIfPresent(Verifier.self, forKey: .verifier) ?? defaults.verifier
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint)
        user = try c.decodeIfPresent(String.self, forKey: .user)
        passwordEnv = try c.decodeIfPresent(String.self, forKey: .passwordEnv)
        newPasswordEnv = try c.decodeIfPresent(String.self, forKey: .newPasswordEnv)
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency) ?? defaults.concurrency
        rateLimit = try c.decodeIfPresent(Double.self, forKey: .rateLimit)
        timeout = try c.decodeIfPresent(Double.self, forKey: .timeout) ?? defaults.timeout
        maxAgeDays = try c.decodeIfPresent(Double.self, forKey: .maxAgeDays) ?? defaults.maxAgeDays
        forceCheck = try c.decodeIfPresent(Bool.self, forKey: .forceCheck) ?? false
        budget = try c.decodeIfPresent(Int.self, forKey: .budget)
        allowOverBudget = try c.decodeIfPresent(Bool.self, forKey: .allowOverBudget) ?? false
        trustEndpoint = try c.decodeIfPresent(Bool.self, forKey: .trustEndpoint) ?? false
        insecure = try c.decodeIfPresent(Bool.self, forKey: .insecure) ?? false
        caFile = try c.decodeIfPresent(String.self, forKey: .caFile)
        reports = try c.decodeIfPresent([String].self, forKey: .reports) ?? []
    }

    /// Checks what can be checked before any request is made.
    public func validate() throws {
        if let endpoint { try EndpointPolicy.check(endpoint, option: "--endpoint") }
        func bad(_ message: String, _ hint: String) -> WamigrateError { WamigrateError(.config, message, hint: hint) }
        guard (1...1000).contains(batchSize) else {
            throw bad("batch size \(batchSize) is out of range", "use 1 to 1000 numbers per request (1000 is the most)")
        }
        guard (1...64).contains(concurrency) else {
            throw bad("concurrency \(concurrency) is out of range", "use 1 to 64 requests in flight")
        }
        if let rateLimit, rateLimit <= 0 { throw bad("rate limit must be above 0", "give checks per second, e.g. 5000") }
        guard timeout > 0, maxAgeDays >= 0 else {
            throw bad("timeout and max age must be positive", "e.g. --timeout 30 --max-age-days 7")
        }
        switch verifier {
        case .contactsAPI:
            guard endpoint != nil, user != nil, passwordEnv != nil else {
                throw bad(
                    "the contacts-api verifier needs an endpoint, a user and a password variable",
                    "pass --endpoint URL --user NAME --password-env VAR (the password itself never goes on the command line)")
            }
        case .deliveryReport:
            guard !reports.isEmpty else {
                throw bad("the delivery-report verifier needs at least one file", "pass --reports statuses.jsonl")
            }
        case .none: break
        }
    }
}
