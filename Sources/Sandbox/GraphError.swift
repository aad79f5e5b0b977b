import Foundation
import Hummingbird

/// The Graph API's error object, as the Cloud API and the template routes answer it:
/// `{"error":{message,type,code,error_subcode?,error_user_msg?,error_data?,fbtrace_id}}`.
/// Messaging errors carry `error_data: {messaging_product, details}` (132000, 131062, …).
enum GraphError {
    static func answer(
        _ status: HTTPResponse.Status, code: Int, subcode: Int? = nil, message: String, user: String? = nil,
        details: String? = nil
    ) -> Response {
        var error: [String: Any] = ["message": message, "type": "OAuthException", "code": code, "fbtrace_id": "sandbox"]
        if let subcode { error["error_subcode"] = subcode }
        if let user { error["error_user_msg"] = user }
        if let details { error["error_data"] = ["messaging_product": "whatsapp", "details": details] }
        let data = (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])) ?? Data()
        return WireJSON.raw(status, data)
    }

    /// `(#100) Invalid parameter`, with what was wrong in `error_user_msg` and `error_data.details`.
    static func invalidParameter(_ problem: String) -> Response {
        answer(.badRequest, code: 100, message: "(#100) Invalid parameter", user: problem, details: problem)
    }

    static func unauthorized() -> Response {
        answer(.unauthorized, code: 190, message: "Invalid OAuth access token")
    }

    /// An object id Graph does not know (or not for this method): code 100, subcode 33.
    static func unknownObject(_ id: String, method: HTTPRequest.Method) -> Response {
        answer(
            .badRequest, code: 100, subcode: 33,
            message: "Unsupported \(method.rawValue.lowercased()) request. Object with ID '\(id)' does not exist, "
                + "cannot be loaded due to missing permissions, or does not support this operation")
    }
}

/// What Graph answers for a path no route serves, instead of an empty 404: an unknown
/// object id (`GET /v25.0/{id}`) is code 100 subcode 33, an unknown edge below an object
/// (`/v25.0/{id}/{edge}`) code 2500 "Unknown path components". Added last, so it wraps
/// only the router's not-found answer.
struct GraphFallback<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            var parts = request.uri.path.split(separator: "/").map(String.init)
            if let first = parts.first, first.hasPrefix("v"), Double(first.dropFirst()) != nil { parts.removeFirst() }
            guard parts.count > 1 else { return GraphError.unknownObject(parts.first ?? "", method: request.method) }
            let unknown = "/" + parts.dropFirst().joined(separator: "/")
            return GraphError.answer(.badRequest, code: 2500, message: "Unknown path components: \(unknown)")
        }
    }
}
