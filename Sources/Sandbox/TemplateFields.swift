import Foundation
import Hummingbird

/// A template the way Graph answers it: only the fields `fields=` names (and `id`, always),
/// the default set without it, a field it does not know refused with (#100).
enum TemplateFields {
    /// What `GET /{WABA_ID}/message_templates` and `GET /{template_id}` answer without `fields`.
    static let defaults = ["name", "parameter_format", "components", "language", "status", "category", "id"]

    /// Fields of a WhatsApp message template node. The sandbox fills those it models and
    /// leaves out the rest, as Graph leaves out a field with no value.
    static let known: Set<String> = [
        "id", "name", "language", "category", "status", "components", "parameter_format", "message_send_ttl_seconds",
        "rejected_reason", "correct_category", "previous_category", "library_template_name", "quality_score",
        "cta_url_link_tracking_opted_out", "sub_category", "degrees_of_freedom_spec",
    ]

    /// The fields the request asks for, or the (#100) answer naming one Graph would not know.
    static func requested(_ request: Request) -> Result<[String], GraphRefusal> {
        guard let list = request.uri.queryParameters.get("fields") else { return .success(defaults) }
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let unknown = names.first(where: { !known.contains($0) }) {
            return .failure(
                GraphRefusal(
                    GraphError.answer(
                        .badRequest, code: 100,
                        message: "(#100) Tried accessing nonexisting field (\(unknown)) on node type (WhatsAppBusinessHSM)")))
        }
        return .success(names.contains("id") ? names : names + ["id"])
    }

    static func render(_ entry: TemplateBook.Entry, fields: [String]) -> [String: Any] {
        var item: [String: Any] = [:]
        for field in fields {
            switch field {
            case "id": item[field] = entry.id
            case "name": item[field] = entry.name
            case "language": item[field] = entry.language
            case "category": item[field] = entry.category
            case "status": item[field] = entry.status
            case "parameter_format": item[field] = entry.parameterFormat
            case "components": item[field] = (try? JSONSerialization.jsonObject(with: entry.components)) ?? []
            case "rejected_reason": item[field] = entry.reason ?? "NONE"
            case "message_send_ttl_seconds": item[field] = entry.messageSendTTL
            default: continue
            }
        }
        return item
    }
}

/// A Graph error answer carried through a `Result`.
struct GraphRefusal: Error {
    var response: Response

    init(_ response: Response) { self.response = response }
}
