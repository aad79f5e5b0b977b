import WamigrateBase

/// One legacy SMS template: `id,language,text` and optional `purpose`, plus the optional
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

/// Columns are found by the names SMS platforms give them: `id`/`name`/`template`,
/// `text`/`body`/`message`, `language`/`lang`/`locale`, `purpose`/`type`/`use_case`
/// (optional). `category` forces the category when it holds MARKETING, UTILITY or
/// AUTHENTICATION; in a file without a purpose column, any other value is the purpose.
enum SMSTemplateFile {
    static let idColumns = ["id", "name", "template", "template_name", "template_id"]
    static let textColumns = ["text", "body", "message", "content", "template_text"]
    static let languageColumns = ["language", "lang", "locale"]
    static let purposeColumns = ["purpose", "type", "use_case"]
    static let categories = ["MARKETING", "UTILITY", "AUTHENTICATION"]

    /// A name or a text column says it is meant as templates; `read` then names what is missing.
    static func isTemplateFile(header: [String]) -> Bool {
        idColumns.contains(where: header.contains) || textColumns.contains(where: header.contains)
    }

    static func read(_ csv: ScenarioCSV) throws -> [SMSTemplate] {
        func column(_ names: [String], _ role: String) throws -> String {
            guard let found = names.first(where: csv.header.contains) else {
                throw WamigrateError(
                    .inputCSV,
                    "SMS template file has no \(role) column (columns: \(csv.header.joined(separator: ", ")))",
                    hint: "name one column \(names.map { "'\($0)'" }.joined(separator: " or ")); the README lists the format",
                    at: .init(file: csv.path, line: 1, column: csv.header.count + 1))
            }
            return found
        }
        let idColumn = try column(idColumns, "template name")
        let textColumn = try column(textColumns, "text")
        let languageColumn = try column(languageColumns, "language")
        let purposeColumn = purposeColumns.first(where: csv.header.contains)
        var templates: [SMSTemplate] = []
        for row in csv.rows {
            guard let id = row[idColumn] else {
                throw csv.fail(
                    row, column: idColumn, "a template has no \(idColumn)",
                    hint: "give every row a name (it becomes the template's)")
            }
            guard let text = row[textColumn] else {
                throw csv.fail(
                    row, column: textColumn, "template '\(id)' has no text",
                    hint: "fill the \(textColumn) column or remove the row")
            }
            if text.count > 1600 {
                throw csv.fail(
                    row, column: "text", "template '\(id)' is \(text.count) characters; SMS exports stop at 1600",
                    hint: "check the export: the text column probably swallowed the next rows (an unclosed quote)")
            }
            var category = row["category"]?.uppercased()
            var purpose = purposeColumn.flatMap { row[$0] } ?? ""
            if purposeColumn == nil, let given = category, !categories.contains(given) {
                purpose = row["category"] ?? ""
                category = nil
            }
            if let category, !categories.contains(category) {
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
                    id: id, language: row[languageColumn] ?? "", text: text, purpose: purpose,
                    category: category, examples: examples, file: csv.path, line: row.line))
        }
        return templates
    }
}
