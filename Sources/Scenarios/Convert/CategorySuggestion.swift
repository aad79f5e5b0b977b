import Foundation
import TemplateRules

/// Suggests a template category with the reason (contracts.md §2.4), by what the
/// message says in any shipped language and by the purpose column.
struct CategorySuggestion: Equatable {
    var category: String
    var reason: String

    /// Purpose words (any case, whole word) that settle the category.
    static let authenticationPurposes = [
        "otp", "login", "log-in", "signin", "sign-in", "2fa", "mfa", "verification", "verify", "pin", "passcode", "auth",
        "authentication", "one-time",
    ]
    static let utilityPurposes = [
        "billing", "bill", "invoice", "payment", "order", "orders", "shipping", "delivery", "appointment", "reminder",
        "account", "transactional", "transaction", "alert", "notification", "service", "booking", "reservation",
    ]
    static let marketingPurposes = ["marketing", "promo", "promotion", "newsletter", "campaign", "sale", "offer"]

    static func suggest(text: String, purpose: String, forced: String?) -> CategorySuggestion {
        if let forced { return CategorySuggestion(category: forced, reason: "set in the category column") }
        let purposeWords = Set(
            purpose.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "-" }).map(String.init))
        if let word = authenticationPurposes.first(where: purposeWords.contains) {
            return CategorySuggestion(
                category: "AUTHENTICATION",
                reason: "purpose '\(purpose)' ('\(word)'): only authentication templates may carry one-time codes")
        }
        let promo = PromoWording.firstMatch(PromoWording.promotional, in: text)
        if promo == nil, let code = OneTimeCode.find(in: text) {
            return CategorySuggestion(
                category: "AUTHENTICATION", reason: "one-time code (\(code)): only authentication templates may carry codes")
        }
        let transaction = PromoWording.firstMatch(PromoWording.transactional, in: text)
        let promoPurpose = marketingPurposes.first(where: purposeWords.contains)
        let utilityPurpose = utilityPurposes.first(where: purposeWords.contains)
        switch (promo ?? promoPurpose.map { "purpose \($0)" }, transaction ?? utilityPurpose.map { "purpose \($0)" }) {
        case (let promo?, let transaction?):
            return CategorySuggestion(
                category: "MARKETING",
                reason: "mixed content ('\(transaction)' with promotional '\(promo)') is MARKETING")
        case (let promo?, nil):
            return CategorySuggestion(category: "MARKETING", reason: "promotional wording ('\(promo)')")
        case (nil, let transaction?):
            return CategorySuggestion(category: "UTILITY", reason: "specific to the user ('\(transaction)') and not promotional")
        case (nil, nil):
            return CategorySuggestion(
                category: "MARKETING",
                reason:
                    "unclear content is MARKETING (Meta's template category guidelines): no utility wording (an order, shipping, a bill "
                    + "or payment, an appointment, an account change) and no utility purpose"
                    + (purpose.isEmpty ? " (the purpose column is empty)" : " ('\(purpose)')")
                    + " was found; set the category column if it is a utility message")
        }
    }
}

/// A one-time code in a message: a code word (code, PIN, OTP, Code, código,
/// codice, код, kod, رمز …) next to a literal code of 4–8 digits or a placeholder,
/// or an explicit one-time-code phrase. Promo codes (`HERBST20`) have letters and
/// are not codes here.
enum OneTimeCode {
    /// Words that name a code; next to a literal code or a placeholder.
    static let codeWords: Set<String> = [
        "code", "pin", "otp", "passcode", "código", "codigo", "codice", "код", "пин", "kod", "kodu", "kodunuz", "رمز",
        "الرمز", "كود", "الكود", "bestätigungscode", "sicherheitscode", "einmalcode", "anmeldecode",
    ]
    /// Words that name a password: a one-time code only next to a literal code
    /// (`Ваш пароль: 4821`), not next to a placeholder (`reset your password: {link}`).
    static let passwordWords: Set<String> = ["password", "passwort", "kennwort", "senha", "пароль", "şifre", "şifreniz", "sifre"]
    /// A code word after one of these is a reference, not a one-time code.
    static let referenceQualifiers: Set<String> = [
        "tracking", "order", "booking", "reference", "voucher", "gift", "promo", "discount", "coupon", "postal", "zip",
        "area", "country", "qr", "bar", "referral", "sendungs", "gutschein", "rabatt", "promocional", "descuento",
        "промо", "скидочный", "promosyon", "indirim",
    ]

    /// What gave it away, for the report (`'code' with a 6-digit literal`).
    static func find(in text: String) -> String? {
        if let phrase = PromoWording.firstMatch(PromoWording.oneTimeCode, in: text) { return "'\(phrase)'" }
        let tokens = words(text)
        for (index, token) in tokens.enumerated() {
            let word = token.lowercased()
            let isCode = codeWords.contains(word)
            guard isCode || passwordWords.contains(word) else { continue }
            if index > 0, referenceQualifiers.contains(tokens[index - 1].lowercased()) { continue }
            let near = tokens[max(0, index - 4)..<min(tokens.count, index + 6)]
            if let literal = near.first(where: isLiteralCode) {
                return "'\(token)' with a \(literal.count)-digit literal code"
            }
            if isCode, near.contains(where: isPlaceholder) { return "'\(token)' with a placeholder for the code" }
        }
        return nil
    }

    /// The literal codes the text shows next to a code word (to be taken out of
    /// any template that is not authentication).
    static func literals(in text: String) -> [String] {
        guard find(in: text) != nil else { return [] }
        let tokens = words(text)
        var found: [String] = []
        for (index, token) in tokens.enumerated()
        where codeWords.contains(token.lowercased()) || passwordWords.contains(token.lowercased()) {
            let near = tokens[max(0, index - 4)..<min(tokens.count, index + 6)]
            found += near.filter(isLiteralCode).filter { !found.contains($0) }
        }
        return found
    }

    private static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map {
            $0.trimmingCharacters(
                in: CharacterSet.punctuationCharacters.union(.symbols).subtracting(CharacterSet(charactersIn: "{}[]%$<>")))
        }
    }

    static func isLiteralCode(_ token: String) -> Bool {
        (4...8).contains(token.count) && token.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func isPlaceholder(_ token: String) -> Bool {
        !LegacyText(token).placeholders.isEmpty
    }
}
