extension TemplateLinter {
    static let otpTypes: Set<String> = ["COPY_CODE", "ONE_TAP", "ZERO_TAP"]

    mutating func checkCategory() {
        let text = allText
        if isAuthentication {
            checkAuthentication(text)
        } else {
            if category == "UTILITY", let phrase = PromoWording.firstMatch(PromoWording.promotional, in: text) {
                report(
                    .promotionalUtility, "UTILITY template with promotional wording ('\(phrase)'): Meta approves it as MARKETING")
            }
            if let phrase = PromoWording.firstMatch(PromoWording.oneTimeCode, in: text) {
                report(.codeOutsideAuth, "\(category) template carries a one-time code ('\(phrase)'): rejected as AUTHENTICATION")
            }
        }
        if let phrase = PromoWording.firstMatch(PromoWording.sensitive, in: text), !isAuthentication {
            report(.sensitiveData, "the text mentions '\(phrase)'")
        }
    }

    private mutating func checkAuthentication(_ text: String) {
        if let body = template.component("BODY"), !(body.text ?? "").isEmpty {
            report(.authPresetBody, "authentication body has custom text", component: "BODY")
        }
        let buttons = template.component("BUTTONS")?.buttons ?? []
        let otp = buttons.filter { $0.type.uppercased() == "OTP" }
        if otp.count != 1 || buttons.count != 1 || !Self.otpTypes.contains(otp.first?.otpType?.uppercased() ?? "") {
            report(.authOTPButton, "\(buttons.count) buttons, \(otp.count) OTP with a known otp_type", component: "BUTTONS")
        }
        if template.component("HEADER") != nil {
            report(.authContent, "authentication template with a header", component: "HEADER")
        }
        if let footer = template.component("FOOTER"), !(footer.text ?? "").isEmpty {
            report(.authContent, "authentication footer has custom text", component: "FOOTER")
        }
        let lower = text.lowercased()
        if lower.contains("http://") || lower.contains("https://") || lower.contains("www.") || text.contains(where: \.isEmoji) {
            report(.authContent, "authentication template with a URL or emoji")
        }
        if let minutes = template.component("FOOTER")?.codeExpirationMinutes, !(1...90).contains(minutes) {
            report(.authExpiry, "code_expiration_minutes is \(minutes)", component: "FOOTER")
        }
    }
}
