import CCurl
import Foundation

/// The one owner of a libcurl easy handle: created in `init`, cleaned up in
/// `deinit`. Not thread-safe: one request at a time (HTTPClient keeps a pool).
/// Reusing a handle keeps its connection alive between requests.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE))

    private static let globalInit: CURLcode = wm_curl_global_init()

    init() throws(HTTPError) {
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw HTTPError(kind: .transport, message: "libcurl could not be initialised")
        }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// Performs one request and returns the whole response. Pointers handed to
    /// libcurl live only inside this call.
    func perform(_ request: HTTPRequest, configuration: HTTPClient.Configuration) throws(HTTPError) -> HTTPResponse {
        curl_easy_reset(handle)
        let sink = ResponseSink()
        var headers: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headers) }
        for (name, value) in request.headers {
            headers = curl_slist_append(headers, "\(name): \(value)")
        }
        if request.body != nil { headers = curl_slist_append(headers, "Expect:") }  // no 100-continue round trip
        let code: CURLcode = withExtendedLifetime(sink) {
            let context = Unmanaged.passUnretained(sink).toOpaque()
            var status = set(CURLOPT_URL, request.url)
            status = status ?? set(CURLOPT_NOSIGNAL, 1)
            status = status ?? set(CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000))
            status = status ?? set(CURLOPT_TIMEOUT_MS, Int((request.timeout ?? configuration.timeout) * 1000))
            status = status ?? set(CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0)
            status = status ?? set(CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0)
            if let ca = configuration.caFile { status = status ?? set(CURLOPT_CAINFO, ca) }
            status = status ?? (wm_curl_set_slist(handle, CURLOPT_HTTPHEADER, headers)).failure
            status = status ?? wm_curl_set_data_fn(handle, CURLOPT_WRITEFUNCTION, ResponseSink.body).failure
            status = status ?? wm_curl_set_context(handle, CURLOPT_WRITEDATA, context).failure
            status = status ?? wm_curl_set_data_fn(handle, CURLOPT_HEADERFUNCTION, ResponseSink.header).failure
            status = status ?? wm_curl_set_context(handle, CURLOPT_HEADERDATA, context).failure
            errorBuffer.withUnsafeMutableBufferPointer { buffer in
                buffer[0] = 0
                status = status ?? wm_curl_set_context(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress).failure
            }
            if let body = request.body {
                status = status ?? set(CURLOPT_POST, 1)
                status = status ?? set(CURLOPT_POSTFIELDSIZE, body.count)
                if request.atMostOnce {
                    // libcurl reads the body through `BodySource`, which refuses to rewind once
                    // bytes went out: a resend on a fresh connection fails instead of happening.
                    sink.source = BodySource(body)
                    status = status ?? wm_curl_set_data_fn(handle, CURLOPT_READFUNCTION, BodySource.read).failure
                    status = status ?? wm_curl_set_context(handle, CURLOPT_READDATA, context).failure
                    status = status ?? wm_curl_set_seek_fn(handle, CURLOPT_SEEKFUNCTION, BodySource.seek).failure
                    status = status ?? wm_curl_set_context(handle, CURLOPT_SEEKDATA, context).failure
                } else {
                    status =
                        status
                        ?? body.withUnsafeBytes { bytes in
                            wm_curl_set_context(
                                handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress)
                            )
                            .failure
                        }
                }
            }
            if let status { return status }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            if code == CURLE_SEND_FAIL_REWIND {
                throw HTTPError(kind: .afterSending, message: "the connection broke after the request was sent; no answer came")
            }
            throw HTTPError(code: code, detail: String(cString: errorBuffer))
        }
        var status = 0
        _ = wm_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    private func set(_ option: CURLoption, _ value: Int) -> CURLcode? {
        wm_curl_set_long(handle, option, value).failure
    }

    private func set(_ option: CURLoption, _ value: String) -> CURLcode? {
        wm_curl_set_string(handle, option, value).failure  // libcurl copies strings
    }
}

extension CURLcode {
    /// nil when the call succeeded, so calls chain with `??`.
    var failure: CURLcode? { self == CURLE_OK ? nil : self }
}

/// Collects what libcurl hands over while one request runs (and feeds it an at-most-once body).
private final class ResponseSink {
    var body = Data()
    var headers: [(String, String)] = []
    var source: BodySource?

    static let body: wm_curl_data_fn = { data, size, count, context in
        let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
        sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
        return size * count
    }

    static let header: wm_curl_data_fn = { data, size, count, context in
        let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            sink.headers.removeAll()  // a new response (after a redirect or 100-continue)
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            sink.headers.append((name, value))
        }
        return size * count
    }
}

/// A request body handed to libcurl in pieces, which may be read from the start once only:
/// rewinding after any byte went out is refused (CURL_SEEKFUNC_FAIL), so libcurl cannot
/// send the same request again on its own when a reused connection breaks.
private final class BodySource {
    private let data: Data
    private var offset = 0

    init(_ data: Data) { self.data = data }

    func take(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, data.count - offset)
        guard count > 0 else { return 0 }
        data.withUnsafeBytes { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }

    /// Rewinding to the start is allowed only while nothing was read.
    func rewind(to position: Int64) -> Bool {
        guard position == 0, offset == 0 else { return false }
        return true
    }

    static let read: wm_curl_data_fn = { buffer, size, count, context in
        let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
        return sink.source?.take(into: buffer, capacity: size * count) ?? 0
    }

    static let seek: wm_curl_seek_fn = { context, offset, origin in
        let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
        guard origin == SEEK_SET, sink.source?.rewind(to: Int64(offset)) == true else { return 1 }  // CURL_SEEKFUNC_FAIL
        return 0  // CURL_SEEKFUNC_OK
    }
}
