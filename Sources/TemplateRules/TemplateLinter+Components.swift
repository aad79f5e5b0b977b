extension TemplateLinter {
    static let componentTypes: Set<String> = ["HEADER", "BODY", "FOOTER", "BUTTONS"]
    static let mediaFormats: Set<String> = ["IMAGE", "VIDEO", "GIF", "DOCUMENT"]

    mutating func checkComponents() {
        var counts: [String: Int] = [:]
        for component in template.components {
            let type = component.type.uppercased()
            guard Self.componentTypes.contains(type) else {
                report(.componentUnknown, "component type '\(component.type)' is unknown", component: component.type)
                continue
            }
            counts[type, default: 0] += 1
            if counts[type] == 2 { report(.componentRepeated, "more than one \(type) component", component: type) }
        }
        if counts["BODY"] == nil { report(.bodyRequired, "no BODY component") }
        if let header = template.component("HEADER") { checkHeader(header) }
        if let body = template.component("BODY"), let text = body.text, text.count > 1024 {
            report(.bodyLength, "body is \(text.count) characters, the limit is 1024", component: "BODY")
        }
        if let footer = template.component("FOOTER"), let text = footer.text {
            if text.count > 60 {
                report(.footerLength, "footer is \(text.count) characters, the limit is 60", component: "FOOTER")
            }
            if !PlaceholderScan(text).tokens.isEmpty {
                report(.footerVariables, "footer has a parameter", component: "FOOTER")
            }
        }
        if let buttons = template.component("BUTTONS"), (buttons.buttons ?? []).isEmpty {
            report(.buttonsEmpty, "BUTTONS component without buttons", component: "BUTTONS")
        }
    }

    private mutating func checkHeader(_ header: TemplateComponent) {
        let format = (header.format ?? "TEXT").uppercased()
        if format == "TEXT" {
            let text = header.text ?? ""
            if text.count > 60 {
                report(.headerLength, "header is \(text.count) characters, the limit is 60", component: "HEADER")
            }
            let parameters = PlaceholderScan(text).tokens.count
            if parameters > 1 {
                report(.headerParameters, "header has \(parameters) parameters, the limit is 1", component: "HEADER")
            }
            if text.contains(where: { $0.isNewline || "*_~`".contains($0) }) || text.contains(where: \.isEmoji) {
                report(.headerCharacters, "header has a newline, markdown character or emoji", component: "HEADER")
            }
        } else if Self.mediaFormats.contains(format) {
            if header.example?.headerHandle?.isEmpty ?? true {
                report(.headerMedia, "\(format) header without example.header_handle", component: "HEADER")
            }
        } else if format == "LOCATION" {
            if isAuthentication { report(.headerMedia, "LOCATION header in an AUTHENTICATION template", component: "HEADER") }
        } else {
            report(.headerMedia, "header format '\(format)' is unknown", component: "HEADER")
        }
    }
}

extension Character {
    /// Pictographic emoji (digits and # are emoji-capable too, so they are excluded).
    var isEmoji: Bool {
        unicodeScalars.contains { $0.properties.isEmojiPresentation || ($0.properties.isEmoji && $0.value > 0x238C) }
    }
}
