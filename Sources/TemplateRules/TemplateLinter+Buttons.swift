extension TemplateLinter {
    static let buttonTypes: Set<String> = [
        "QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP", "FLOW", "CATALOG", "MPM", "SPM", "VOICE_CALL",
    ]

    mutating func checkButtons() {
        guard let buttons = template.component("BUTTONS")?.buttons, !buttons.isEmpty else { return }
        let types = buttons.map { $0.type.uppercased() }
        if buttons.count > 10 { report(.buttonCount, "\(buttons.count) buttons, the limit is 10", component: "BUTTONS") }
        let limits: [(String, Int, LintRule)] = [
            ("QUICK_REPLY", 10, .quickReplyCount), ("URL", 2, .urlButtonCount), ("PHONE_NUMBER", 1, .phoneButtonCount),
            ("COPY_CODE", 1, .copyCodeCount),
        ]
        for (type, limit, rule) in limits {
            let count = types.filter { $0 == type }.count
            if count > limit { report(rule, "\(count) \(type) buttons, the limit is \(limit)", component: "BUTTONS") }
        }
        let groups = zip(types, types.dropFirst()).filter { ($0 == "QUICK_REPLY") != ($1 == "QUICK_REPLY") }.count
        if groups > 1 {
            report(
                .buttonGrouping, "quick replies are not contiguous: \(types.joined(separator: ","))", component: "BUTTONS")
        }
        if buttons.count > 3 || (types.contains("QUICK_REPLY") && groups > 0) {
            report(.buttonDisplay, "\(buttons.count) buttons (\(types.joined(separator: ",")))", component: "BUTTONS")
        }
        for (index, button) in buttons.enumerated() { check(button, at: index) }
    }

    private mutating func check(_ button: TemplateButton, at index: Int) {
        let type = button.type.uppercased()
        func fail(_ rule: LintRule, _ message: String) { report(rule, message, component: "BUTTONS", button: index) }
        guard Self.buttonTypes.contains(type) else {
            fail(.buttonType, "button type '\(button.type)' is unknown")
            return
        }
        let label = button.text ?? ""
        if type != "OTP", label.isEmpty || label.count > 25 {
            fail(.buttonLabel, "label is \(label.count) characters, allowed 1–25")
        }
        switch type {
        case "URL":
            let url = button.url ?? ""
            let lower = url.lowercased()
            if url.count > 2000 || !(lower.hasPrefix("https://") || lower.hasPrefix("http://")) || url.contains(" ") {
                fail(.urlFormat, "URL is not an http(s) URL of at most 2000 characters")
            }
            let scan = PlaceholderScan(url)
            if scan.tokens.count > 1 || (scan.tokens.first.map { $0.range.upperBound != url.endIndex } ?? false) {
                fail(.urlVariable, "URL has \(scan.tokens.count) parameters or one that is not at the end")
            } else if !scan.tokens.isEmpty {
                let example = button.example?.first ?? ""
                if !example.lowercased().hasPrefix("http") || PlaceholderScan(example).tokens.count > 0 {
                    fail(.urlVariable, "URL parameter without a full example URL")
                }
            }
        case "PHONE_NUMBER":
            let number = button.phoneNumber ?? ""
            let digits = number.filter(\.isNumber)
            if number.count > 20 || digits.count < 6 || !number.allSatisfy({ $0.isNumber || "+ ".contains($0) }) {
                fail(.phoneNumber, "phone number is not an international number of at most 20 characters")
            }
        case "COPY_CODE":
            let code = button.example?.first ?? ""
            if code.isEmpty || code.count > 15 { fail(.copyCode, "example code is \(code.count) characters, allowed 1–15") }
        case "OTP":
            if !isAuthentication { fail(.otpOutsideAuth, "OTP button in a \(category) template") }
        default:
            break
        }
    }
}
