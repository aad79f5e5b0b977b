import Foundation

/// A blocking HTTP client over libcurl that several threads can share: each
/// request borrows an easy handle from a pool, so connections are reused.
public final class HTTPClient: @unchecked Sendable {
    /// How requests are made. Defaults are the ones stated on each field.
    public struct Configuration: Sendable {
        /// Whole-request timeout in seconds (default 30).
        public var timeout: Double = 30
        /// Connect timeout in seconds (default 10).
        public var connectTimeout: Double = 10
        /// Verify the server's certificate and host name (default on).
        public var verifyTLS = true
        /// A PEM bundle of CA certificates to trust instead of the system's.
        public var caFile: String?

        public init() {}
    }

    public let configuration: Configuration
    private let lock = NSLock()
    private var idle: [CurlEasy] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let easy = try borrow()
        defer { giveBack(easy) }
        return try easy.perform(request, configuration: configuration)
    }

    private func borrow() throws(HTTPError) -> CurlEasy {
        lock.lock()
        let easy = idle.popLast()
        lock.unlock()
        if let easy { return easy }
        return try CurlEasy()
    }

    private func giveBack(_ easy: CurlEasy) {
        lock.lock()
        idle.append(easy)
        lock.unlock()
    }
}
