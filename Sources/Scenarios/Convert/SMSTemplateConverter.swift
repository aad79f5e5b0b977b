import Foundation
import TemplateRules

/// One legacy SMS template → one template creation payload and its report.
/// Placeholders become sequential variables; dangling and adjacent variables
/// are rewritten; SMS boilerplate is dropped; opt-out lines become a quick-reply
/// button on marketing templates; trailing links become URL buttons.
struct SMSTemplateConverter {
    var named: Bool

    struct Variable {
        var name: String
        var example: String
    }

    func convert(_ sms: SMSTemplate, name: String) -> (TemplatePayload, ArtifactReport) {
        var report = ArtifactReport(artifact: "\(sms.id)", kind: "sms_template", file: sms.file, line: sms.line)
        let language = report.language(sms.language)
        var kept: [String] = []
        var optOut = false
        for sentence in Sentences.split(sms.text.replacingOccurrences(of: "\r\n", with: "\n")) {
            let kind = SMSBoilerplate.kind(of: sentence)
            if kind == nil, let cut = OptOutClause.cut(sentence) {
                optOut = true
                let rest = clean(cut.kept)
                report.change(
                    "opt_out_clause",
                    "removed the opt-out clause \"\(clean(cut.removed))\""
                        + (rest.isEmpty ? "" : "; kept the rest of the sentence, \"\(rest)\""))
                if !cut.droppedContent.isEmpty {
                    report.loss(
                        "content_dropped",
                        "the opt-out clause \"\(clean(cut.removed))\" also said \"\(cut.droppedContent.joined(separator: " "))\"; "
                            + "restore what the message needs in the draft")
                }
                if !cut.kept.isEmpty { kept.append(cut.kept) }
                continue
            }
            switch kind {
            case .help?:
                report.loss("help_line", "removed \"\(clean(sentence))\": HELP is answered by the keyword flow, not the template")
            case .rates?:
                report.loss("rates_line", "removed \"\(clean(sentence))\": carrier rates do not apply on WhatsApp")
            case nil:
                kept.append(sentence)
            }
        }
        let suggestion = CategorySuggestion.suggest(text: kept.joined(), purpose: sms.purpose, forced: sms.category)
        report.category = suggestion.category
        report.categoryReason = suggestion.reason
        if suggestion.category == "AUTHENTICATION" {
            return (authentication(sms, name: name, language: language, kept: kept, &report), report)
        }
        var sms = sms
        kept = withoutLiteralCodes(kept, sms: &sms, &report)
        var buttons: [TemplateButton] = []
        let body = extractLinks(kept, into: &buttons, sms: sms, language: language, &report)
        var variables: [Variable] = []
        let text = bodyText(body, sms: sms, language: language, variables: &variables, &report)
        if suggestion.category == "MARKETING", optOut {
            buttons.append(TemplateButton(type: "QUICK_REPLY", text: Phrases.text("stop_promotions", language: language)))
            report.change("opt_out_button", "the opt-out line became the quick reply \"\(buttons.last!.text!)\"")
        } else if optOut {
            report.loss(
                "opt_out_line",
                "\(suggestion.category) templates carry no opt-out button; WhatsApp's own block and stop controls apply")
        }
        var components = [TemplateComponent(type: "BODY", text: text)]
        if !variables.isEmpty {
            components[0].example =
                named
                ? TemplateExample(bodyTextNamedParams: variables.map { NamedExample(paramName: $0.name, example: $0.example) })
                : TemplateExample(bodyText: [variables.map(\.example)])
        }
        if !buttons.isEmpty { components.append(TemplateComponent(type: "BUTTONS", buttons: buttons)) }
        if text.count > 1024 {
            report.loss("too_long", "body is \(text.count) characters; the limit is 1024. Not cut: shorten it in the draft")
        }
        let payload = TemplatePayload(
            name: name, language: language, category: suggestion.category, parameterFormat: named ? "named" : nil,
            components: components)
        return (payload, report)
    }

    private func clean(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    // MARK: - Authentication

    /// Wording that asks the reader not to share the code, in the shipped languages:
    /// Meta's preset then adds its own security recommendation.
    static let securityWording = [
        "share", "never", "nicht weiter", "niemals", "niemandem", "no compartas", "no lo compartas", "nunca",
        "não compartilhe", "nao compartilhe", "ne partagez", "ne le partagez", "jamais", "non condividere", "mai",
        "не сообщайте", "никому", "нікому", "не повідомляйте", "paylaşmayın", "paylasmayin", "kimseyle", "لا تشارك",
        "لا تشاركه",
    ]
    static let minutes = try? NSRegularExpression(
        pattern:
            #"(\d{1,3})\s*(min|mins|minute|minutes|minuten|minutos|minuti|минут|минуты|минуту|хвилин|хвилини|dakika|دقائق|دقيقة)"#,
        options: .caseInsensitive)

    /// Meta's fixed authentication format: the code is the parameter, the body is
    /// Meta's own text (with the security recommendation when the message asked not
    /// to share the code), the expiry when the text states it, and a copy-code button.
    private func authentication(
        _ sms: SMSTemplate, name: String, language: String, kept: [String], _ report: inout ArtifactReport
    ) -> TemplatePayload {
        let text = kept.joined()
        var body = TemplateComponent(type: "BODY")
        let lower = text.lowercased()
        body.addSecurityRecommendation = Self.securityWording.contains(where: lower.contains)
        var components = [body]
        let ns = text as NSString
        if let match = Self.minutes?.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)),
            let value = Int(ns.substring(with: match.range(at: 1))), (1...90).contains(value)
        {
            var footer = TemplateComponent(type: "FOOTER")
            footer.codeExpirationMinutes = value
            components.append(footer)
            report.change("auth_expiry", "expiry of \(value) minutes kept as code_expiration_minutes")
        }
        var button = TemplateButton(type: "OTP", text: nil)
        button.otpType = "COPY_CODE"
        components.append(TemplateComponent(type: "BUTTONS", buttons: [button]))
        let literals = OneTimeCode.literals(in: text)
        report.loss(
            "auth_preset",
            "the wording is now Meta's fixed authentication text: \"\(clean(text))\" becomes \"{{1}} is your verification "
                + "code.\"" + (body.addSecurityRecommendation == true ? " with the security recommendation" : "")
                + "; the code is the parameter and the button copies it"
                + (literals.isEmpty ? "" : " (the literal code \(literals.joined(separator: ", ")) is not kept)"))
        return TemplatePayload(name: name, language: language, category: "AUTHENTICATION", components: components)
    }

    /// A literal one-time code never stays in a template: outside authentication it
    /// becomes the variable `code` (the category column can force that case).
    private func withoutLiteralCodes(_ sentences: [String], sms: inout SMSTemplate, _ report: inout ArtifactReport)
        -> [String]
    {
        let literals = OneTimeCode.literals(in: sentences.joined())
        guard !literals.isEmpty else { return sentences }
        sms.examples["code"] = sms.examples["code"] ?? "123456"
        report.change(
            "literal_code",
            "the literal code \(literals.joined(separator: ", ")) became the variable 'code': a code must never be fixed in a template"
        )
        return sentences.map { sentence in
            literals.reduce(sentence) { $0.replacingOccurrences(of: $1, with: "{code}") }
        }
    }

    // MARK: - Links

    static let url = try! NSRegularExpression(pattern: #"(https?://|www\.)[^\s]+"#, options: .caseInsensitive)

    /// Sentences that end with a link become URL buttons (at most 2); the rest is the body.
    private func extractLinks(
        _ sentences: [String], into buttons: inout [TemplateButton], sms: SMSTemplate, language: String,
        _ report: inout ArtifactReport
    ) -> String {
        var kept: [String] = []
        for sentence in sentences {
            guard buttons.count < 2, let button = linkButton(sentence, sms: sms, language: language) else {
                kept.append(sentence)
                continue
            }
            buttons.append(button)
            report.change("url_button", "\"\(clean(sentence))\" became the URL button \"\(button.text!)\"")
        }
        let body = Sentences.join(kept)
        if body.isEmpty, !buttons.isEmpty {
            buttons.removeAll()
            report.changes.removeAll { $0.kind == "url_button" }
            return Sentences.join(sentences)
        }
        return body
    }

    private func linkButton(_ sentence: String, sms: SMSTemplate, language: String) -> TemplateButton? {
        let trimmed = clean(sentence).trimmingCharacters(in: CharacterSet(charactersIn: ".!?"))
        let ns = trimmed as NSString
        guard let match = Self.url.firstMatch(in: trimmed, range: NSRange(location: 0, length: ns.length)),
            match.range.location + match.range.length == ns.length
        else { return nil }
        var link = ns.substring(with: match.range).trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?)"))
        if link.lowercased().hasPrefix("www.") { link = "https://" + link }
        var label = ns.substring(to: match.range.location).trimmingCharacters(in: .whitespaces)
        for tail in [":", "-", "–", " at", " here", " via", " on", " unter", " sur", " en", " em"]
        where label.lowercased().hasSuffix(tail) {
            label = String(label.dropLast(tail.count)).trimmingCharacters(in: .whitespaces)
        }
        label = label.trimmingCharacters(in: CharacterSet(charactersIn: ":-– "))
        if label.isEmpty || label.count > 25 || !LegacyText(label).placeholders.isEmpty {
            label = Phrases.text("open_link", language: language)
        }
        let parts = LegacyText(link)
        switch parts.placeholders.count {
        case 0:
            return TemplateButton(type: "URL", text: label, url: link)
        case 1:
            guard case .placeholder(let name, _)? = parts.segments.last else { return nil }
            let prefix = parts.rendered { _ in "" }
            let example = sms.examples[name] ?? PlaceholderNames.example(for: name)
            return TemplateButton(type: "URL", text: label, url: prefix + "{{1}}", example: [prefix + example])
        default:
            return nil
        }
    }

    // MARK: - Body and variables

    private func bodyText(
        _ body: String, sms: SMSTemplate, language: String, variables: inout [Variable], _ report: inout ArtifactReport
    ) -> String {
        var text = LegacyText(body)
        let styles = Set(text.placeholders.map(\.written))
        if !styles.isEmpty {
            report.change("placeholders", "\(styles.sorted().joined(separator: ", ")) became sequential variables")
        }
        var examples = sms.examples
        mergeAdjacent(&text, examples: &examples, &report)
        fixDangling(&text, language: language, &report)
        var order: [String] = []
        for (name, _) in text.placeholders where !order.contains(name) { order.append(name) }
        variables = order.map { Variable(name: $0, example: examples[$0] ?? PlaceholderNames.example(for: $0)) }
        return text.rendered { name in named ? "{{\(name)}}" : "{{\(order.firstIndex(of: name)! + 1)}}" }
    }

    /// `{first} {last}` → one variable `first_last` with both examples.
    private func mergeAdjacent(_ text: inout LegacyText, examples: inout [String: String], _ report: inout ArtifactReport) {
        var index = 0
        var segments = text.segments
        while index + 2 < segments.count {
            if case .placeholder(let left, let leftWritten) = segments[index],
                case .literal(let between) = segments[index + 1], LegacyText.isFiller(between), !between.contains("\n"),
                case .placeholder(let right, let rightWritten) = segments[index + 2]
            {
                let name = left == right ? left : "\(left)_\(right)"
                let leftExample = examples[left] ?? PlaceholderNames.example(for: left)
                let rightExample = examples[right] ?? PlaceholderNames.example(for: right)
                examples[name] = leftExample + between + rightExample
                segments.replaceSubrange(
                    index...(index + 2), with: [.placeholder(name: name, written: leftWritten + between + rightWritten)])
                report.change(
                    "adjacent_merged",
                    "\(leftWritten)\(between)\(rightWritten) are side by side; merged into one variable '\(name)': send both values in it"
                )
                continue
            }
            index += 1
        }
        text.segments = segments
    }

    private func fixDangling(_ text: inout LegacyText, language: String, _ report: inout ArtifactReport) {
        guard let firstPlaceholder = text.segments.firstIndex(where: { if case .placeholder = $0 { true } else { false } }) else {
            return
        }
        let before = text.segments[..<firstPlaceholder].map { if case .literal(let s) = $0 { s } else { "" } }.joined()
        if LegacyText.isFiller(before), case .placeholder(let name, _) = text.segments[firstPlaceholder] {
            let lead =
                PlaceholderNames.isPersonName(name)
                ? Phrases.text("hi", language: language) : Phrases.text("update", language: language)
            text.segments.replaceSubrange(..<firstPlaceholder, with: [.literal(lead + " ")])
            report.change("dangling_start", "the text started with a variable; added \"\(lead)\" before it")
        }
        let lastPlaceholder = text.segments.lastIndex(where: { if case .placeholder = $0 { true } else { false } })!
        let after = text.segments[(lastPlaceholder + 1)...].map { if case .literal(let s) = $0 { s } else { "" } }.joined()
        if LegacyText.isFiller(after) {
            let thanks = Phrases.text("thanks", language: language)
            let punctuation = after.trimmingCharacters(in: .whitespacesAndNewlines)
            let closing = (punctuation.isEmpty ? "." : punctuation) + " " + thanks
            text.segments.replaceSubrange((lastPlaceholder + 1)..., with: [.literal(closing)])
            report.change("dangling_end", "the text ended with a variable; added \"\(thanks)\" after it")
        }
    }
}
