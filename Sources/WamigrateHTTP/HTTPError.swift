import CCurl

/// A request that got no HTTP response: the connection failed, timed out or broke.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case timeout, connect, tls, transport
        /// The request went out and the connection broke before any answer: it may have arrived.
        case afterSending
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    init(code: CURLcode, detail: String) {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST: kind = .connect
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE: kind = .tls
        case CURLE_SEND_FAIL_REWIND, CURLE_GOT_NOTHING: kind = .afterSending
        default: kind = .transport
        }
        let text = String(cString: curl_easy_strerror(code))
        message = detail.isEmpty ? text : "\(text): \(detail)"
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
