import Foundation
import Logging
import WamigrateBase
import WamigrateCore
import WamigrateHTTP

/// The bearer token, shared by every thread: logs in when there is none, when
/// it is about to expire, or when the server rejected it. One login at a time.
final class TokenSession: @unchecked Sendable {
    private let configuration: ContactsAPIConfiguration
    private let http: HTTPClient
    private let logger: Logger
    private let lock = NSLock()
    private var token: String?
    private var expires: Date?
    private var issued = Date()
    /// The password that works now: the new one once it has been set.
    private var password: String

    init(configuration: ContactsAPIConfiguration, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.logger = logger
        self.password = configuration.password
    }

    /// A token to use now.
    func current() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let token, expires.map({ $0.timeIntervalSinceNow > renewMargin(until: $0) }) ?? true { return token }
        return try login()
    }

    /// Renew `renewBefore` seconds early, or a tenth of the lifetime for short-lived tokens.
    private func renewMargin(until expiry: Date) -> Double {
        min(configuration.renewBefore, max(0, expiry.timeIntervalSince(issued)) * 0.1)
    }

    /// The server said this token is no longer good.
    func reject(_ stale: String) {
        lock.lock()
        if token == stale { token = nil }
        lock.unlock()
    }

    private func login() throws -> String {
        var attempt = 0
        var changing = false
        var triedNewAsCurrent = false
        while true {
            attempt += 1
            let body = try JSONEncoder().encode(LoginRequest(newPassword: changing ? configuration.newPassword : nil))
            let basic = Data("\(configuration.user):\(password)".utf8).base64EncodedString()
            let request = HTTPRequest(
                url: configuration.endpoint + "/v1/users/login",
                headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/json")], body: body)
            let response: HTTPResponse
            do {
                response = try http.send(request)
            } catch {
                guard attempt < configuration.retry.maxAttempts else {
                    throw WamigrateError(
                        .remote, "login failed after \(attempt) attempts: \(error)",
                        hint: "check that --endpoint is right and the server is up")
                }
                Thread.sleep(forTimeInterval: configuration.retry.delay(after: attempt, retryAfter: nil))
                continue
            }
            let decoded = try? JSONDecoder().decode(LoginResponse.self, from: response.body)
            let codes = decoded?.errors?.map(\.code) ?? []
            if response.status == 200, let user = decoded?.users?.first {
                if changing, let newPassword = configuration.newPassword { password = newPassword }
                token = user.token
                issued = Date()
                expires = user.expiresAfter.flatMap(Self.parseExpiry)
                logger.info("contacts-api: logged in (token expires \(user.expiresAfter ?? "unknown"))")
                return user.token
            }
            if codes.contains(1024), configuration.newPassword != nil, !changing {
                changing = true
                continue
            }
            if codes.contains(1024) {
                throw WamigrateError(
                    .auth, "the account must change its password before it can log in (error 1024)",
                    hint: "put a new password (8-64 characters with a digit, upper and lower case and a symbol) in an "
                        + "environment variable and pass --new-password-env VAR")
            }
            if response.status == 401, let newPassword = configuration.newPassword, !triedNewAsCurrent,
                password != newPassword
            {
                // An earlier run may already have changed the password.
                triedNewAsCurrent = true
                password = newPassword
                continue
            }
            if response.status == 401 || codes.contains(1005) {
                throw WamigrateError(
                    .auth, "login refused (HTTP \(response.status)\(codes.isEmpty ? "" : ", error \(codes[0])"))",
                    hint: "check --user and the password in the --password-env variable")
            }
            if response.status == 400 {
                let detail = decoded?.errors?.first.map { "\($0)" } ?? "HTTP 400"
                throw WamigrateError(
                    .auth, "login rejected: \(detail)", hint: "see the error; a new password must meet the rules")
            }
            guard attempt < configuration.retry.maxAttempts else {
                throw WamigrateError(
                    .remote, "login failed after \(attempt) attempts (HTTP \(response.status))",
                    hint: "the server keeps failing; try again later")
            }
            Thread.sleep(forTimeInterval: configuration.retry.delay(after: attempt, retryAfter: response.retryAfter()))
        }
    }

    /// `2018-03-01 15:29:26+00:00` (the API's form), or ISO 8601.
    static func parseExpiry(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for format in ["yyyy-MM-dd HH:mm:ssxxx", "yyyy-MM-dd'T'HH:mm:ssxxx", "yyyy-MM-dd HH:mm:ss"] {
            formatter.dateFormat = format
            formatter.timeZone = TimeZone(identifier: "UTC")
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
