import WamigrateBase

/// One SMS keyword auto-reply: `keywords` (`|`-separated) → `reply`, with the
/// optional `next` (`|`-separated keywords offered after the reply), `label`
/// (the button title when this keyword is offered) and `language` columns.
/// The keyword `*` is the reply to anything else.
public struct KeywordReply: Sendable {
    public var keywords: [String]
    public var reply: String
    public var next: [String]
    public var label: String?
    public var language: String
    public var line: Int

    var id: String { PlaceholderNames.normalized(keywords.first ?? "reply") }
}

enum KeywordReplyFile {
    static func isKeywordFile(header: [String]) -> Bool { header.contains("keywords") || header.contains("keyword") }

    static func read(_ csv: ScenarioCSV) throws -> [KeywordReply] {
        let keywordColumn = csv.header.contains("keywords") ? "keywords" : "keyword"
        try csv.require([keywordColumn, "reply"], kind: "keyword reply")
        var replies: [KeywordReply] = []
        var seen: [String: Int] = [:]
        for row in csv.rows {
            let keywords = (row[keywordColumn] ?? "").split(separator: "|").map {
                $0.trimmingCharacters(in: .whitespaces).uppercased()
            }.filter { !$0.isEmpty }
            guard !keywords.isEmpty else {
                throw csv.fail(row, column: keywordColumn, "a reply has no keyword", hint: "write KEYWORD or KEY1|KEY2")
            }
            guard let reply = row["reply"] else {
                throw csv.fail(row, column: "reply", "keyword \(keywords[0]) has no reply text", hint: "fill the reply column")
            }
            let language = row["language"] ?? "en"
            for keyword in keywords {
                if let first = seen["\(language)/\(keyword)"] {
                    throw csv.fail(
                        row, column: keywordColumn, "keyword \(keyword) is also on line \(first)",
                        hint: "keep one reply per keyword and language")
                }
                seen["\(language)/\(keyword)"] = row.line
            }
            let next = (row["next"] ?? "").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            replies.append(
                KeywordReply(
                    keywords: keywords, reply: reply, next: next.filter { !$0.isEmpty }, label: row["label"],
                    language: language, line: row.line))
        }
        for reply in replies {
            // `seen` holds every keyword by language: one lookup per offered keyword.
            for keyword in reply.next where seen["\(reply.language)/\(keyword)"] == nil {
                throw WamigrateError(
                    .inputCSV, "line \(reply.line) offers next keyword \(keyword), which has no reply",
                    hint: "add a row for \(keyword) or remove it from next", at: .init(file: csv.path, line: reply.line))
            }
        }
        return replies
    }
}
