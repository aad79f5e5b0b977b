import TemplateRules

/// A flow step the business sends after the 24-hour window closed must be a
/// template: its Viber message → a creation payload (quick replies and URL
/// buttons kept) and the reference the flow state carries.
struct StateTemplate {
    var language: String

    func make(_ viber: ViberMessage, name: String, state: String, report: inout ArtifactReport)
        -> (TemplatePayload, FlowState.TemplateRef)
    {
        let body = ViberMarkup.convert(viber.text ?? "").text
        let choices = ChoiceMessages(language: language)
        var buttons: [TemplateButton] = []
        var refs: [FlowState.TemplateRef.Button] = []
        for button in viber.keyboard?.buttons ?? [] {
            let title = ViberMarkup.convert(button.text ?? button.actionBody ?? "", plain: true).text
            switch button.kind {
            case "reply" where buttons.filter({ $0.type == "QUICK_REPLY" }).count < 10:
                let label = choices.shortened(title, to: 25, report: &report)
                buttons.append(TemplateButton(type: "QUICK_REPLY", text: label))
                refs.append(.init(id: button.actionBody ?? title, title: label))
            case "open-url" where buttons.filter({ $0.type == "URL" }).count < 2:
                buttons.append(
                    TemplateButton(
                        type: "URL", text: choices.shortened(title, to: 25, report: &report), url: button.actionBody ?? ""))
            default:
                report.loss("template_button", "state \(state): button \"\(title)\" cannot be a template button; dropped")
            }
        }
        buttons.sort { ($0.type == "QUICK_REPLY" ? 0 : 1) < ($1.type == "QUICK_REPLY" ? 0 : 1) }
        let suggestion = CategorySuggestion.suggest(text: body, purpose: "", forced: nil)
        var components = [TemplateComponent(type: "BODY", text: body)]
        if !buttons.isEmpty { components.append(TemplateComponent(type: "BUTTONS", buttons: buttons)) }
        report.change(
            "window_template",
            "state \(state) is sent after the 24-hour window closed, so it became template \(name) (\(suggestion.category): \(suggestion.reason))"
        )
        let payload = TemplatePayload(name: name, language: language, category: suggestion.category, components: components)
        return (payload, .init(name: name, language: language, body: body, buttons: refs))
    }
}
