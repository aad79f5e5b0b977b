import Foundation
import Hummingbird

/// `GET /{WABA_ID}/message_templates` and `GET /{template_id}`, as Graph answers them:
/// `fields=` (default: name, parameter_format, components, language, status, category, id),
/// the list's filters (`name` and `content` match a part, `status`, `category`, `language`
/// take comma lists), `summary=` and cursor paging (`limit`, `after`, `before`; without
/// `limit`, one page holds every match).
extension TemplatesRoute {
    func list(_ request: Request, waba: String) -> Response {
        if let denied = authorize(request) { return denied }
        let fields: [String]
        switch TemplateFields.requested(request) {
        case .success(let names): fields = names
        case .failure(let refusal): return refusal.response
        }
        let query = request.uri.queryParameters
        let all = book.list(waba: waba)
        let matching = all.filter { Self.matches($0, query) }
        let limit = query.get("limit").flatMap { Int($0) }.map { min(max($0, 1), 1000) } ?? max(matching.count, 1)
        var start = query.get("after").flatMap(Self.offset) ?? 0
        if let before = query.get("before").flatMap(Self.offset) { start = max(0, before - limit) }
        start = min(start, matching.count)
        let end = min(start + limit, matching.count)
        var paging: [String: Any] = [
            "cursors": matching.isEmpty
                ? ["before": "", "after": ""] : ["before": Self.cursor(start), "after": Self.cursor(end)]
        ]
        if end < matching.count { paging["next"] = Self.page(request, cursor: "after=" + Self.cursor(end)) }
        if start > 0 { paging["previous"] = Self.page(request, cursor: "before=" + Self.cursor(start)) }
        var body: [String: Any] = [
            "data": matching[start..<end].map { TemplateFields.render($0, fields: fields) }, "paging": paging,
        ]
        if let asked = query.get("summary") {
            let figures: [String: Any] = [
                "total_count": matching.count, "message_template_count": all.count,
                "message_template_limit": Self.templateLimit, "are_translations_complete": true,
            ]
            let names = asked == "true" ? ["total_count"] : asked.split(separator: ",").map(String.init)
            body["summary"] = figures.filter { names.contains($0.key) }
        }
        return WireJSON.raw(.ok, (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data())
    }

    func get(_ request: Request, id: String) -> Response {
        if let denied = authorize(request) { return denied }
        guard let entry = book.find(id: id) else { return GraphError.unknownObject(id, method: request.method) }
        switch TemplateFields.requested(request) {
        case .success(let fields):
            let item = TemplateFields.render(entry, fields: fields)
            return WireJSON.raw(.ok, (try? JSONSerialization.data(withJSONObject: item, options: [.sortedKeys])) ?? Data())
        case .failure(let refusal): return refusal.response
        }
    }

    /// Templates per WABA (contracts §2.2: 250 by default).
    static let templateLimit = 250

    static func matches(_ entry: TemplateBook.Entry, _ query: Parameters) -> Bool {
        func among(_ key: String, _ value: String) -> Bool {
            guard let list = query.get(key) else { return true }
            return list.split(separator: ",").contains { $0.caseInsensitiveCompare(value) == .orderedSame }
        }
        let text = String(decoding: entry.components, as: UTF8.self)
        let name = query.get("name").map { entry.name.localizedCaseInsensitiveContains($0) } ?? true
        let content = query.get("content").map { text.localizedCaseInsensitiveContains($0) } ?? true
        let either =
            query.get("name_or_content").map {
                entry.name.localizedCaseInsensitiveContains($0) || text.localizedCaseInsensitiveContains($0)
            } ?? true
        return name && content && either && among("status", entry.status) && among("category", entry.category)
            && among("language", entry.language)
    }

    /// Opaque-looking cursors: the offset, base64url.
    static func cursor(_ offset: Int) -> String {
        Data(String(offset).utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    static func offset(_ cursor: String) -> Int? {
        var text = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text).flatMap { Int(String(decoding: $0, as: UTF8.self)) }
    }

    /// The same request's URL with another cursor, for `paging.next` / `previous`.
    static func page(_ request: Request, cursor: String) -> String {
        let kept = (request.uri.query ?? "").split(separator: "&")
            .filter { !$0.hasPrefix("after=") && !$0.hasPrefix("before=") }.map(String.init)
        let host = request.head.authority ?? "127.0.0.1"
        return "http://\(host)\(request.uri.path)?" + (kept + [cursor]).joined(separator: "&")
    }
}
