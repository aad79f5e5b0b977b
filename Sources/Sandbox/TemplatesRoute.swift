import Foundation
import Hummingbird
import TemplateRules

/// `POST` and `GET /{WABA_ID}/message_templates` (optionally under a version
/// prefix such as `/v21.0`): bearer token, validation by the same rules as
/// `scenarios lint`, duplicates refused, 100 creations per WABA per hour, and
/// answers `{id, status, category}`. A UTILITY template with promotional
/// wording is answered as MARKETING, as Meta has done since 2025-04-09.
struct TemplatesRoute: Sendable {
    var book: TemplateBook
    var configuration: SandboxConfiguration
    var faults: FaultGate

    func create(_ request: Request, waba: String) async throws -> Response {
        if let denied = authorize(request) { return denied }
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let payload = try? JSONDecoder().decode(TemplatePayload.self, from: Data(buffer: body)) else {
            return Self.graphError(
                .badRequest, code: 100, subcode: nil, message: "(#100) Invalid parameter",
                user: "the body is not a template payload")
        }
        let findings = TemplateLinter.lint(payload)
        if let error = findings.first(where: { $0.severity == .error }) {
            return Self.graphError(
                .badRequest, code: 100, subcode: 2_388_042, message: "(#100) Invalid parameter",
                user: "\(error.rule.rawValue): \(error.message)")
        }
        let fault = faults.draw(.templates)
        if let refused = try await faults.refusal(fault, .graph) { return refused }
        if book.exists(waba: waba, name: payload.name, language: payload.language) {
            return Self.graphError(
                .badRequest, code: 100, subcode: 2_388_024, message: "(#100) Invalid parameter",
                user: "Content in this language already exists")
        }
        guard book.admit(waba: waba, limit: configuration.templateHourlyLimit) else {
            return Self.graphError(
                .tooManyRequests, code: 80_007, subcode: nil, message: "Rate limit issues",
                user: "more than \(configuration.templateHourlyLimit) templates created in an hour")
        }
        var category = payload.category.uppercased()
        if findings.contains(where: { $0.rule == .promotionalUtility }) { category = "MARKETING" }
        let reason = configuration.rejectTemplates[payload.name]
        let entry = book.add(
            waba: waba, name: payload.name, language: payload.language, category: category,
            status: reason == nil ? configuration.templateStatus : "REJECTED", reason: reason)
        var answer: [String: Any] = ["id": entry.id, "status": entry.status, "category": entry.category]
        if let reason { answer["rejected_reason"] = reason }
        return try await faults.answer(fault, .ok, answer)
    }

    func list(_ request: Request, waba: String) -> Response {
        if let denied = authorize(request) { return denied }
        let name = request.uri.queryParameters.get("name")
        let data = book.list(waba: waba).filter { name == nil || $0.name == name }.map { entry -> [String: Any] in
            var item: [String: Any] = [
                "id": entry.id, "name": entry.name, "language": entry.language, "status": entry.status,
                "category": entry.category,
            ]
            if let reason = entry.reason { item["rejected_reason"] = reason }
            return item
        }
        let body: [String: Any] = ["data": data, "paging": ["cursors": ["before": "", "after": ""]]]
        return WireJSON.raw(.ok, (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data())
    }

    private func authorize(_ request: Request) -> Response? {
        guard request.headers[.authorization] == "Bearer \(configuration.graphToken)" else {
            return Self.graphError(.unauthorized, code: 190, subcode: nil, message: "Invalid OAuth access token", user: nil)
        }
        return nil
    }

    /// The Graph API error shape: `{"error":{message,type,code,error_subcode,error_user_msg,fbtrace_id}}`.
    static func graphError(_ status: HTTPResponse.Status, code: Int, subcode: Int?, message: String, user: String?) -> Response {
        var error: [String: Any] = ["message": message, "type": "OAuthException", "code": code, "fbtrace_id": "sandbox"]
        if let subcode { error["error_subcode"] = subcode }
        if let user { error["error_user_msg"] = user }
        let data = (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])) ?? Data()
        return WireJSON.raw(status, data)
    }
}
