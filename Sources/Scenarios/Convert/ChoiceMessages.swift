/// Choices a user can tap → the interactive message that fits: ≤ 3 reply
/// buttons (titles ≤ 20), 4–10 a list (rows ≤ 24, long titles keep their full
/// text in the ≤ 72 description), more → pages of 9 plus a "more" row.
struct ChoiceMessages {
    struct Choice {
        var id: String
        var title: String
    }

    var language: String

    /// One message per page; page n > 1 is reached through the row id `<state>__page<n>`.
    func pages(body: String, choices: [Choice], state: String, report: inout ArtifactReport) -> [(id: String?, WAMessage)] {
        if choices.count <= 3 { return [(nil, buttons(body: body, choices: choices, report: &report))] }
        if choices.count <= 10 { return [(nil, list(body: body, rows: choices, more: nil, report: &report))] }
        var result: [(String?, WAMessage)] = []
        var rest = choices[...]
        var page = 1
        while !rest.isEmpty {
            let last = rest.count <= 10
            let rows = Array(rest.prefix(last ? 10 : 9))
            rest = rest.dropFirst(rows.count)
            let moreID = last ? nil : "\(state)__page\(page + 1)"
            let pageID = page == 1 ? nil : "\(state)__page\(page)"
            result.append((pageID, list(body: body, rows: rows, more: moreID, report: &report)))
            page += 1
        }
        report.change("paged_list", "\(choices.count) choices became \(result.count) list pages (10 rows per list at most)")
        return result
    }

    func buttons(body: String, choices: [Choice], report: inout ArtifactReport) -> WAMessage {
        var used = Set<String>()
        let buttons = choices.map { choice -> Interactive.ReplyButton in
            var title = shortened(choice.title, to: 20, report: &report)
            var n = 2
            while !used.insert(title).inserted {
                title = String(title.prefix(17)) + " \(n)"
                n += 1
            }
            return Interactive.ReplyButton(reply: .init(id: identifier(choice.id, limit: 256, report: &report), title: title))
        }
        return .interactive(Interactive(type: "button", body: .init(text: body), action: .init(buttons: buttons)))
    }

    func list(body: String, rows choices: [Choice], more: String?, report: inout ArtifactReport) -> WAMessage {
        var rows = choices.map { choice -> Interactive.Row in
            let title = choice.title.count > 24 ? String(choice.title.prefix(23)) + "…" : choice.title
            var description: String?
            if choice.title.count > 24 {
                description = choice.title.count <= 72 ? choice.title : String(choice.title.prefix(71)) + "…"
                report.change(
                    "row_title", "\"\(choice.title)\" is over 24 characters: title \"\(title)\", full text in the description")
            }
            return Interactive.Row(id: identifier(choice.id, limit: 200, report: &report), title: title, description: description)
        }
        if let more { rows.append(Interactive.Row(id: more, title: Phrases.text("more", language: language))) }
        let section = Interactive.Section(title: Phrases.text("options", language: language), rows: rows)
        return .interactive(
            Interactive(
                type: "list", body: .init(text: body),
                action: .init(button: Phrases.text("choose", language: language), sections: [section])))
    }

    func cta(body: String, title: String, url: String, report: inout ArtifactReport) -> WAMessage {
        let label = shortened(title, to: 20, report: &report)
        return .interactive(
            Interactive(
                type: "cta_url", body: .init(text: body),
                action: .init(name: "cta_url", parameters: .init(displayText: label, url: url))))
    }

    func locationRequest(body: String) -> WAMessage {
        .interactive(Interactive(type: "location_request_message", body: .init(text: body), action: .init(name: "send_location")))
    }

    /// Cut at a word boundary to fit, and say so: never silently.
    func shortened(_ title: String, to limit: Int, report: inout ArtifactReport) -> String {
        guard title.count > limit else { return title }
        var words: [Substring] = []
        for word in title.split(separator: " ") {
            if (words + [word]).joined(separator: " ").count > limit - 1 { break }
            words.append(word)
        }
        var short = words.joined(separator: " ")
        if short.isEmpty { short = String(title.prefix(limit - 1)) }
        short += "…"
        report.change("title_shortened", "\"\(title)\" is over \(limit) characters; shortened to \"\(short)\"")
        return short
    }

    private func identifier(_ id: String, limit: Int, report: inout ArtifactReport) -> String {
        guard id.count > limit else { return id }
        report.change("id_shortened", "an id of \(id.count) characters was cut to \(limit)")
        return String(id.prefix(limit))
    }
}
