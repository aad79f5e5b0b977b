/// One Viber `send_message` body → the WhatsApp messages that carry it.
struct ViberMessageConverter {
    var language: String
    var choices: ChoiceMessages { ChoiceMessages(language: language) }

    struct Output {
        var messages: [WAMessage] = []
        /// Extra list pages: state id → its message.
        var pages: [(id: String, message: WAMessage)] = []
        /// Choice id → `button` or `list`: how a tap on it arrives.
        var kinds: [String: String] = [:]
    }

    func convert(_ viber: ViberMessage, state: String, report: inout ArtifactReport) -> Output {
        var output = Output()
        let markup = ViberMarkup.convert(viber.text ?? "")
        note(markup, report: &report)
        var text = markup.text
        let buttons = (viber.keyboard?.buttons ?? []) + (viber.richMedia?.buttons ?? [])
        if viber.richMedia != nil {
            report.loss(
                "rich_media", "state \(state): rich media cards (images, layout) are not kept; their buttons were converted")
        }
        var replyChoices: [ChoiceMessages.Choice] = []
        var links: [(title: String, url: String)] = []
        var locationTitles: [String] = []
        for button in buttons {
            let title = ViberMarkup.convert(button.text ?? "", plain: true).text
            let body = button.actionBody ?? ""
            switch button.kind {
            case "reply":
                replyChoices.append(.init(id: body, title: title.isEmpty ? body : title))
                if title.isEmpty {
                    report.change("button_title", "state \(state): a button without Text is titled by its ActionBody \"\(body)\"")
                }
            case "open-url": links.append((title.isEmpty ? Phrases.text("open_link", language: language) : title, body))
            case "location-picker": locationTitles.append(title)
            case "share-phone":
                report.loss(
                    "share_phone", "state \(state): share-phone button \"\(title)\" dropped: WhatsApp already knows the number")
            case "none":
                report.loss("decorative_button", "state \(state): button \"\(title)\" with ActionType none does nothing; dropped")
            default:
                report.loss("button_type", "state \(state): ActionType \(button.kind) has no WhatsApp form; dropped")
            }
        }
        // Media and other message types first: they carry the text as a caption.
        switch (viber.type ?? "text").lowercased() {
        case "picture", "video", "file":
            guard let link = viber.media else { break }
            let caption = text.count <= 1024 && !text.isEmpty ? text : nil
            let media = WAMessage.Media(link: link, caption: caption)
            switch viber.type!.lowercased() {
            case "picture": output.messages.append(WAMessage(type: "image", image: media))
            case "video": output.messages.append(WAMessage(type: "video", video: media))
            default: output.messages.append(WAMessage(type: "document", document: media))
            }
            if caption != nil { text = "" }
        case "url":
            if let link = viber.media { text = text.isEmpty ? link : text + "\n" + link }
        case "location":
            if let location = viber.location {
                output.messages.append(
                    WAMessage(type: "location", location: .init(latitude: location.lat, longitude: location.lon)))
            }
        case "sticker", "contact":
            report.loss("message_type", "state \(state): a Viber \(viber.type!) message has no WhatsApp equivalent; dropped")
        default:
            break
        }
        let prompt = Phrases.text("choose_option", language: language)
        if !replyChoices.isEmpty {
            var body = text
            if body.isEmpty || body.count > 1024 {
                if body.count > 1024 {
                    output.messages += split(body)
                    report.change(
                        "long_text", "state \(state): text over 1024 characters sent as a text message before the choices")
                }
                body = prompt
            }
            let pages = choices.pages(body: body, choices: replyChoices, state: state, report: &report)
            let kind = pages.first.map { $0.1.interactive?.type == "button" ? "button" : "list" } ?? "button"
            for choice in replyChoices { output.kinds[choice.id] = kind }
            output.messages.append(pages[0].1)
            for page in pages.dropFirst() {
                output.pages.append((page.0!, page.1))
                output.kinds[page.0!] = "list"
            }
            for link in links {
                output.messages.append(choices.cta(body: link.title, title: link.title, url: link.url, report: &report))
                report.change("cta_separate", "state \(state): open-url button \"\(link.title)\" became its own CTA URL message")
            }
        } else if links.count == 1, text.count <= 1024 {
            output.messages.append(
                choices.cta(body: text.isEmpty ? links[0].title : text, title: links[0].title, url: links[0].url, report: &report)
            )
            text = ""
        } else if links.count > 1 {
            text += (text.isEmpty ? "" : "\n") + links.map { "\($0.title): \($0.url)" }.joined(separator: "\n")
            report.change(
                "links_in_text",
                "state \(state): \(links.count) open-url buttons written into the text (a CTA message holds one link)")
        }
        for title in locationTitles {
            let body = text.isEmpty || !replyChoices.isEmpty ? (title.isEmpty ? prompt : title) : text
            output.messages.append(choices.locationRequest(body: String(body.prefix(1024))))
            if replyChoices.isEmpty { text = "" }
        }
        if replyChoices.isEmpty, !text.isEmpty {
            output.messages += split(text)
        }
        return output
    }

    /// Text messages of at most 4096 characters, split on line breaks where possible.
    func split(_ text: String) -> [WAMessage] {
        var parts: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current.count + line.count + 1 > 4096, !current.isEmpty {
                parts.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : "\n") + line
            while current.count > 4096 {
                parts.append(String(current.prefix(4096)))
                current = String(current.dropFirst(4096))
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts.map { .text($0) }
    }

    private func note(_ markup: ViberMarkup.Result, report: inout ArtifactReport) {
        for tag in markup.dropped.sorted()
        where !report.losses.contains(where: { $0.kind == "markup" && $0.detail.hasPrefix("<\(tag)>") }) {
            report.loss("markup", "<\(tag)> has no WhatsApp formatting; the text is kept without it")
        }
        for tag in markup.converted.sorted()
        where !report.changes.contains(where: { $0.kind == "markup" && $0.detail.hasPrefix("<\(tag)>") }) {
            let to = ["b": "*bold*", "i": "_italic_", "s": "~strike~", "br": "a line break"][tag] ?? tag
            report.change("markup", "<\(tag)> written as \(to)")
        }
    }
}
