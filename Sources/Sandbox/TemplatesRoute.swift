import Foundation
import Hummingbird
import TemplateRules

/// `POST /{WABA_ID}/message_templates` (optionally under a version prefix such as
/// `/v21.0`): bearer token, validation by the same rules as `scenarios lint`, duplicates
/// refused, 100 creations per WABA per hour, and answers `{id, status, category}`. A
/// UTILITY template with promotional wording is answered as MARKETING, as Meta has done
/// since 2025-04-09. The template keeps its components, parameter format and parameter
/// counts for GET (`TemplatesRoute+Read`) and for sends (132000).
struct TemplatesRoute: Sendable {
    var book: TemplateBook
    var configuration: SandboxConfiguration
    var faults: FaultGate

    func create(_ request: Request, waba: String) async throws -> Response {
        if let denied = authorize(request) { return denied }
        let body = Data(buffer: try await request.body.collect(upTo: 1 << 20))
        guard let payload = try? JSONDecoder().decode(TemplatePayload.self, from: body) else {
            return GraphError.answer(
                .badRequest, code: 100, message: "(#100) Invalid parameter", user: "the body is not a template payload")
        }
        let findings = TemplateLinter.lint(payload)
        if let error = findings.first(where: { $0.severity == .error }) {
            return GraphError.answer(
                .badRequest, code: 100, subcode: 2_388_042, message: "(#100) Invalid parameter",
                user: "\(error.rule.rawValue): \(error.message)")
        }
        let fault = faults.draw(.templates)
        if let refused = try await faults.refusal(fault, .graph) { return refused }
        if book.exists(waba: waba, name: payload.name, language: payload.language) {
            return GraphError.answer(
                .badRequest, code: 100, subcode: 2_388_024, message: "(#100) Invalid parameter",
                user: "Content in this language already exists")
        }
        guard book.admit(waba: waba, limit: configuration.templateHourlyLimit) else {
            return GraphError.answer(
                .tooManyRequests, code: 80_007, message: "Rate limit issues",
                user: "more than \(configuration.templateHourlyLimit) templates created in an hour")
        }
        var category = payload.category.uppercased()
        if findings.contains(where: { $0.rule == .promotionalUtility }) { category = "MARKETING" }
        let reason = configuration.rejectTemplates[payload.name]
        let arity = TemplateArity.expected(payload)
        let entry = book.add(
            .init(
                waba: waba, name: payload.name, language: payload.language, category: category,
                status: reason == nil ? configuration.templateStatus : "REJECTED", reason: reason,
                parameterFormat: payload.isNamed ? "NAMED" : "POSITIONAL", components: Self.components(of: body),
                bodyParameters: arity.body, headerParameters: arity.header,
                messageSendTTL: payload.messageSendTTLSeconds))
        var answer: [String: Any] = ["id": entry.id, "status": entry.status, "category": entry.category]
        if let reason { answer["rejected_reason"] = reason }
        return try await faults.answer(fault, .ok, answer)
    }

    /// The request's `components` as GET answers them: as sent, with component, format
    /// and button types in upper case.
    static func components(of body: Data) -> Data {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let components = (object?["components"] as? [[String: Any]] ?? []).map { component -> [String: Any] in
            var copy = component
            for key in ["type", "format"] { copy[key] = (component[key] as? String)?.uppercased() }
            if let buttons = component["buttons"] as? [[String: Any]] {
                copy["buttons"] = buttons.map { button -> [String: Any] in
                    var item = button
                    item["type"] = (button["type"] as? String)?.uppercased()
                    return item
                }
            }
            return copy
        }
        return (try? JSONSerialization.data(withJSONObject: components, options: [.sortedKeys])) ?? Data("[]".utf8)
    }

    func authorize(_ request: Request) -> Response? {
        guard request.headers[.authorization] == "Bearer \(configuration.graphToken)" else {
            return GraphError.unauthorized()
        }
        return nil
    }
}
