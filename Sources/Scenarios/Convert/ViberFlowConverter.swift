import TemplateRules

/// A Viber bot flow (or a plain list of `send_message` bodies) → a flow graph,
/// plus templates for steps that fall outside the 24-hour window.
struct ViberFlowConverter {
    struct Result {
        var flow: FlowGraph
        var templates: [TemplatePayload] = []
        var report: ArtifactReport
    }

    func convert(_ content: ViberFlowFile.Content, name: String, file: String, defaultLanguage: String) -> Result {
        switch content {
        case .flow(let flow): return convert(flow, name: name, file: file, defaultLanguage: defaultLanguage)
        case .messages(let messages):
            var states: [String: ViberFlow.State] = [:]
            for (index, message) in messages.enumerated() {
                states["message_\(index + 1)"] = ViberFlow.State(message: message)
            }
            var result = convert(
                ViberFlow(name: name, language: nil, start: "message_1", states: states), name: name, file: file,
                defaultLanguage: defaultLanguage)
            result.report.kind = "viber_messages"
            result.report.change(
                "message_list",
                "\(messages.count) send_message bodies became states message_1…message_\(messages.count) without transitions")
            result.report.loss(
                "window",
                "these are session messages: sent to someone who has not written in the last 24 hours they need templates; write those from the report"
            )
            return result
        }
    }

    func convert(_ viber: ViberFlow, name: String, file: String, defaultLanguage: String) -> Result {
        var report = ArtifactReport(artifact: name, kind: "viber_flow", file: file)
        let language = report.language(viber.language ?? defaultLanguage)
        let converter = ViberMessageConverter(language: language)
        var templates: [TemplatePayload] = []
        let windowed = Set(viber.states.values.compactMap { $0.timeout }.filter { $0.afterHours >= 24 }.map(\.to))
        var states: [FlowState] = []
        let order = [viber.start] + viber.states.keys.filter { $0 != viber.start }.sorted()
        for id in order {
            let source = viber.states[id]!
            var state = FlowState(id: id, messages: [])
            var kinds: [String: String] = [:]
            var pages: [(id: String, message: WAMessage)] = []
            if windowed.contains(id), let first = source.allMessages.first {
                let templateName = TemplateNames.sanitized("\(name)_\(id)")
                let (payload, ref) = StateTemplate(language: language).make(first, name: templateName, state: id, report: &report)
                templates.append(payload)
                state.window = "template"
                state.template = ref
                state.messages = [
                    WAMessage(type: "template", template: .init(name: templateName, language: .init(code: language)))
                ]
                for button in ref.buttons { kinds[button.id] = "button" }
            } else {
                for message in source.allMessages {
                    let output = converter.convert(message, state: id, report: &report)
                    state.messages += output.messages
                    pages += output.pages
                    kinds.merge(output.kinds) { first, _ in first }
                }
            }
            for (key, target) in (source.transitions ?? [:]).sorted(by: { $0.key < $1.key }) {
                state.transitions.append(FlowTransition(kind: kinds[key] ?? "text", value: key, to: target))
            }
            state.fallback = source.fallback
            state.action = source.action
            state.timeout = source.timeout.map { .init(afterHours: $0.afterHours, to: $0.to) }
            if source.allMessages.contains(where: { $0.sender != nil }), !report.losses.contains(where: { $0.kind == "sender" }) {
                report.loss("sender", "Viber sender name and avatar are not sent: WhatsApp shows the business profile")
            }
            if source.allMessages.contains(where: { $0.trackingData != nil }),
                !report.losses.contains(where: { $0.kind == "tracking_data" })
            {
                report.loss("tracking_data", "tracking_data has no WhatsApp field; the flow state replaces it")
            }
            // Page states share the transitions of the state they continue, plus their own "more" row.
            for (index, page) in pages.enumerated() {
                var pageState = FlowState(id: page.id, messages: [page.message])
                pageState.transitions = state.transitions.map { FlowTransition(kind: "list", value: $0.value, to: $0.to) }
                pageState.fallback = state.fallback
                if index + 1 < pages.count {
                    pageState.transitions.append(
                        FlowTransition(kind: "list", value: pages[index + 1].id, to: pages[index + 1].id))
                }
                states.append(pageState)
            }
            if let firstPage = pages.first {
                state.transitions = state.transitions.map { FlowTransition(kind: "list", value: $0.value, to: $0.to) }
                state.transitions.append(FlowTransition(kind: "list", value: firstPage.id, to: firstPage.id))
            }
            if (viber.states[id]?.allMessages.flatMap { $0.keyboard?.buttons ?? [] } ?? []).contains(where: {
                $0.columns != nil || $0.rows != nil
            }),
                !report.losses.contains(where: { $0.kind == "layout" })
            {
                report.loss(
                    "layout", "keyboard layout (Columns, Rows, colours, images) is not kept: WhatsApp draws its own buttons")
            }
            states.insert(state, at: states.count - pages.count)
        }
        report.change("entry", "the flow starts when the user writes first (a click-to-chat link can prefill the message)")
        let flow = FlowGraph(name: name, source: file, language: language, start: viber.start, states: states)
        return Result(flow: flow, templates: templates, report: report)
    }
}
