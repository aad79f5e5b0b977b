/// One legacy SMS template: `id,language,text,purpose` plus the optional
/// `category` (forces MARKETING / UTILITY / AUTHENTICATION) and `examples`
/// (`name=Maria;order=A-1042`) columns.
public struct SMSTemplate: Sendable {
    public var id: String
    public var language: String
    public var text: String
    public var purpose: String
    public var category: String?
    public var examples: [String: String]
    public var file: String
    public var line: Int
}

enum SMSTemplateFile {
    static func isTemplateFile(header: [String]) -> Bool { header.contains("id") }

    static func read(_ csv: ScenarioCSV) throws -> [SMSTemplate] {
        try csv.require(["id", "language", "text", "purpose"], kind: "SMS template")
        var templates: [SMSTemplate] = []
        for row in csv.rows {
            guard let id = row["id"] else {
                throw csv.fail(row, column: "id", "a template has no id", hint: "give every row an id (it becomes the name)")
            }
            guard let text = row["text"] else {
                throw csv.fail(
                    row, column: "text", "template '\(id)' has no text", hint: "fill the text column or remove the row")
            }
            if text.count > 1600 {
                throw csv.fail(
                    row, column: "text", "template '\(id)' is \(text.count) characters; SMS exports stop at 1600",
                    hint: "check the export: the text column probably swallowed the next rows (an unclosed quote)")
            }
            let category = row["category"]?.uppercased()
            if let category, !["MARKETING", "UTILITY", "AUTHENTICATION"].contains(category) {
                throw csv.fail(
                    row, column: "category", "category '\(category)' is unknown",
                    hint: "use MARKETING, UTILITY or AUTHENTICATION, or leave it empty for a suggestion")
            }
            var examples: [String: String] = [:]
            for pair in (row["examples"] ?? "").split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { examples[PlaceholderNames.normalized(parts[0])] = parts[1] }
            }
            templates.append(
                SMSTemplate(
                    id: id, language: row["language"] ?? "", text: text, purpose: row["purpose"] ?? "",
                    category: category, examples: examples, file: csv.path, line: row.line))
        }
        return templates
    }
}
