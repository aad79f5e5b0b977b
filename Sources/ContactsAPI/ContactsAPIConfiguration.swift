import WamigrateHTTP

/// How the contacts-api client connects and behaves; defaults as stated.
public struct ContactsAPIConfiguration: Sendable {
    /// Base URL, e.g. `https://waba.example.com` (paths `/v1/users/login` and `/v1/contacts` are added).
    public var endpoint: String
    public var user: String
    public var password: String
    /// Sent as `new_password` when the server requires a password change (error 1024).
    public var newPassword: String?
    public var http = HTTPClient.Configuration()
    public var retry = RetryPolicy()
    /// Checks per second over all threads (default: unlimited).
    public var rateLimit: Double?
    /// A token is renewed this many seconds before `expires_after` (default 60).
    public var renewBefore: Double = 60

    public init(endpoint: String, user: String, password: String) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.user = user
        self.password = password
    }
}
