import ArgumentParser
import ContactsAPI
import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateHTTP

/// Flags for the verify stage (shared by `verify` and `run`); each overrides the
/// config file's `verify:` section.
struct VerifyOptions: ParsableArguments {
    @Option(help: "contacts-api, delivery-report or none (default: the config's, else none).")
    var verifier: VerifySettings.Verifier?

    @Option(help: "contacts-api: the endpoint's base URL.")
    var endpoint: String?

    @Option(help: "contacts-api: the user to log in as.")
    var user: String?

    @Option(help: "contacts-api: the environment variable that holds the password.")
    var passwordEnv: String?

    @Option(help: "contacts-api: the variable with a new password, used when the account must change its password.")
    var newPasswordEnv: String?

    @Option(help: "Numbers per request, at most 1000 (default 1000).")
    var batchSize: Int?

    /// Flag values a user typed are usage errors (64 with the usage line); the same values
    /// from a config file are config errors (65, naming the file).
    func validate() throws {
        if let batchSize, !(1...1000).contains(batchSize) {
            throw ValidationError("--batch-size \(batchSize) is out of range: use 1 to 1000 numbers per request")
        }
        if let concurrency, !(1...64).contains(concurrency) {
            throw ValidationError("--concurrency \(concurrency) is out of range: use 1 to 64")
        }
        if let rateLimit, rateLimit <= 0 { throw ValidationError("--rate-limit must be above 0 checks per second") }
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be above 0 seconds") }
        if let maxAgeDays, maxAgeDays < 0 { throw ValidationError("--max-age-days cannot be negative") }
        if let budget, budget < 0 { throw ValidationError("--budget cannot be negative") }
    }

    @Option(help: "Requests in flight at once (default 4).")
    var concurrency: Int?

    @Option(help: "Checks per second over all requests (default: no limit).")
    var rateLimit: Double?

    @Option(help: "Seconds before a request counts as timed out (default 30).")
    var timeout: Double?

    @Option(help: "Re-check answers older than this many days (default 7).")
    var maxAgeDays: Double?

    @Flag(help: "Check again even numbers with a fresh answer, and send force_check.")
    var forceCheck = false

    @Option(help: "Checks allowed over the job's life: the messages you will send (default: contacts that can be messaged).")
    var budget: Int?

    @Flag(help: "Go over the check budget anyway.")
    var allowOverBudget = false

    @Flag(help: "Keep valid answers even from an endpoint that says valid to nearly everything.")
    var trustEndpoint = false

    @Flag(help: "Do not verify TLS certificates (never for production endpoints).")
    var insecure = false

    @Option(help: "A PEM file of CA certificates to trust for the endpoint.")
    var caFile: String?

    @Option(help: "delivery-report: a JSON Lines file of Cloud API statuses or webhook payloads (repeatable).")
    var reports: [String] = []

    func apply(to settings: inout VerifySettings) {
        if let verifier { settings.verifier = verifier }
        if let endpoint { settings.endpoint = endpoint }
        if let user { settings.user = user }
        if let passwordEnv { settings.passwordEnv = passwordEnv }
        if let newPasswordEnv { settings.newPasswordEnv = newPasswordEnv }
        if let batchSize { settings.batchSize = batchSize }
        if let concurrency { settings.concurrency = concurrency }
        if let rateLimit { settings.rateLimit = rateLimit }
        if let timeout { settings.timeout = timeout }
        if let maxAgeDays { settings.maxAgeDays = maxAgeDays }
        if forceCheck { settings.forceCheck = true }
        if let budget { settings.budget = budget }
        if allowOverBudget { settings.allowOverBudget = true }
        if trustEndpoint { settings.trustEndpoint = true }
        if insecure { settings.insecure = true }
        if let caFile { settings.caFile = caFile }
        if !reports.isEmpty { settings.reports = reports }
    }
}

extension VerifySettings.Verifier: ExpressibleByArgument {}

/// Builds the contacts-api client from the settings; passwords come from the environment only.
enum CheckerFactory {
    static func make(_ settings: VerifySettings, logger: Logger) throws -> (any RegistrationChecker)? {
        guard settings.verifier == .contactsAPI else { return nil }
        try settings.validate()
        let environment = ProcessInfo.processInfo.environment
        let password = try SecretVariable.value(
            settings.passwordEnv ?? "", code: .config,
            hint: "export the password in that variable before running; it is never taken on the command line",
            in: environment)
        var configuration = ContactsAPIConfiguration(
            endpoint: settings.endpoint ?? "", user: settings.user ?? "", password: password)
        if let variable = settings.newPasswordEnv {
            let newPassword = try SecretVariable.value(
                variable, code: .config, hint: "export the new password in it", in: environment)
            configuration.newPassword = newPassword
        }
        configuration.rateLimit = settings.rateLimit
        configuration.http.timeout = settings.timeout
        configuration.http.verifyTLS = !settings.insecure
        configuration.http.caFile = settings.caFile
        if settings.insecure { logger.warning("TLS certificate checks are off (--insecure)") }
        return ContactsAPIClient(configuration: configuration, logger: logger)
    }
}
