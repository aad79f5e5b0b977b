import TemplateRules

/// SMS keyword auto-replies → a flow: every keyword works from any state
/// (typed, whole message, any case); a reply that offers next keywords shows
/// them as buttons or a list; STOP and START record a consent action.
struct KeywordFlowConverter {
    static let optOut: Set<String> = [
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE", "ARRET", "STOPP", "BAJA",
    ]
    static let optIn: Set<String> = ["START", "YES", "UNSTOP"]

    func convert(_ replies: [KeywordReply], name: String, file: String) -> [(FlowGraph, ArtifactReport)] {
        // Languages in first-seen order, and each one's replies, in one pass (not a scan per language).
        var languages: [String] = []
        var groups: [String: [KeywordReply]] = [:]
        for reply in replies {
            if groups[reply.language] == nil { languages.append(reply.language) }
            groups[reply.language, default: []].append(reply)
        }
        return languages.map { tag in
            let group = groups[tag] ?? []
            let flowName = languages.count > 1 ? TemplateNames.sanitized("\(name)_\(tag)") : name
            return convert(group, name: flowName, file: file, tag: tag)
        }
    }

    private func convert(_ replies: [KeywordReply], name: String, file: String, tag: String) -> (FlowGraph, ArtifactReport) {
        var report = ArtifactReport(artifact: name, kind: "keyword_replies", file: file, line: replies.first?.line)
        let language = report.language(tag)
        let choices = ChoiceMessages(language: language)
        let fallbackRow = replies.first { $0.keywords.contains("*") }
        // Keyword → its state and its row, built once: looking rows up per offered keyword
        // made conversion quadratic (4,000 replies took 16 s).
        var idOf: [String: String] = [:]
        var rowOf: [String: KeywordReply] = [:]
        for reply in replies {
            for keyword in reply.keywords {
                idOf[keyword] = reply.keywords == ["*"] ? "fallback" : reply.id
                if rowOf[keyword] == nil { rowOf[keyword] = reply }
            }
        }
        var idle = FlowState(id: "idle", messages: [])
        idle.notes = ["waits for a keyword; nothing is sent until the user writes"]
        var states = [idle]
        var global: [FlowTransition] = []
        for reply in replies {
            let id = idOf[reply.keywords[0]]!
            let markup = ViberMarkup.convert(reply.reply)
            var state = FlowState(id: id, messages: [])
            if reply.next.isEmpty {
                state.messages = [.text(markup.text)]
            } else {
                let offered = reply.next.map { keyword in
                    let row = rowOf[keyword]!
                    return ChoiceMessages.Choice(id: idOf[keyword]!, title: row.label ?? keyword.capitalized)
                }
                let pages = choices.pages(body: markup.text, choices: offered, state: id, report: &report)
                state.messages = [pages[0].1]
                let kind = pages[0].1.interactive?.type == "button" ? "button" : "list"
                state.transitions = offered.map { FlowTransition(kind: kind, value: $0.id, to: $0.id) }
                report.change(
                    "next_choices",
                    "\(reply.keywords[0]) offers \(reply.next.joined(separator: ", ")) as \(kind == "button" ? "reply buttons" : "a list")"
                )
            }
            if !reply.keywords.filter(Self.optOut.contains).isEmpty {
                state.action = "opt_out"
                state.notes.append(
                    "record the opt-out in the consent ledger; WhatsApp users can also block the business or use its Stop control (send error 131050)"
                )
            } else if !reply.keywords.filter(Self.optIn.contains).isEmpty {
                state.action = "opt_in"
            }
            if fallbackRow != nil { state.fallback = "fallback" }
            for keyword in reply.keywords where keyword != "*" {
                global.append(FlowTransition(kind: "text", value: keyword, to: id))
            }
            states.append(state)
        }
        if fallbackRow != nil {
            states[0].fallback = "fallback"
        } else {
            report.change("no_fallback", "no '*' row: messages that match no keyword get no reply")
        }
        report.change("keywords", "\(global.count) keywords work from any state, typed as the whole message in any case")
        let flow = FlowGraph(name: name, source: file, language: language, start: "idle", global: global, states: states)
        return (flow, report)
    }
}
