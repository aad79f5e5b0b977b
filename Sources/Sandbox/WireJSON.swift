import Foundation
import Hummingbird

/// Builds the API's JSON answers: the success bodies and the error envelope.
enum WireJSON {
    static let meta: [String: Any] = ["version": "sandbox-2.41.3", "api_status": "stable"]

    static func response(_ status: HTTPResponse.Status, _ object: [String: Any], headers: HTTPFields = [:]) -> Response {
        var body = object
        body["meta"] = meta
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return raw(status, data, headers: headers)
    }

    static func raw(_ status: HTTPResponse.Status, _ data: Data, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The error envelope: `{"errors":[{"code","title","details"}],"meta":{...}}`.
    static func error(_ status: HTTPResponse.Status, code: Int, title: String, details: String, headers: HTTPFields = [:])
        -> Response
    {
        response(status, ["errors": [["code": code, "title": title, "details": details]]], headers: headers)
    }

    static func expiresAfter(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date) + "+00:00"
    }
}
