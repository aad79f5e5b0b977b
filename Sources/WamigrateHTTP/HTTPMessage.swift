import Foundation

/// One HTTP request: POST when it has a body, GET otherwise.
public struct HTTPRequest: Sendable {
    public var url: String
    public var headers: [(String, String)]
    public var body: Data?
    /// Overrides the client's whole-request timeout, in seconds.
    public var timeout: Double?
    /// A send that must not reach the server twice (a message): when a kept-alive connection
    /// breaks after the body went out, libcurl would silently send it again on a new one;
    /// with this set it fails instead (`HTTPError.Kind.afterSending`), and the caller decides.
    public var atMostOnce: Bool

    public init(
        url: String, headers: [(String, String)] = [], body: Data? = nil, timeout: Double? = nil, atMostOnce: Bool = false
    ) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.atMostOnce = atMostOnce
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header with this name, compared without case.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// `Retry-After` in seconds from now: delta-seconds or an HTTP date.
    public func retryAfter(now: Date = Date()) -> Double? {
        guard let value = header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
