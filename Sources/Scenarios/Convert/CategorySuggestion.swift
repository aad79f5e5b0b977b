import TemplateRules

/// Suggests a template category with the reason (contracts.md §2.4).
struct CategorySuggestion: Equatable {
    var category: String
    var reason: String

    static func suggest(text: String, purpose: String, forced: String?) -> CategorySuggestion {
        if let forced { return CategorySuggestion(category: forced, reason: "set in the category column") }
        let both = text + "\n" + purpose
        let purposeLower = purpose.lowercased()
        if let phrase = PromoWording.firstMatch(PromoWording.oneTimeCode, in: both)
            ?? ["otp", "2fa", "verification", "login code"].first(where: purposeLower.contains)
        {
            return CategorySuggestion(
                category: "AUTHENTICATION", reason: "one-time code ('\(phrase)'): only authentication templates may carry codes")
        }
        let promo =
            PromoWording.firstMatch(PromoWording.promotional, in: both)
            ?? ["marketing", "promo", "newsletter", "campaign"].first(where: purposeLower.contains)
        let transaction = PromoWording.firstMatch(PromoWording.transactional, in: both)
        switch (promo, transaction) {
        case (let promo?, let transaction?):
            return CategorySuggestion(
                category: "MARKETING",
                reason: "mixed content ('\(transaction)' with promotional '\(promo)') is MARKETING")
        case (let promo?, nil):
            return CategorySuggestion(category: "MARKETING", reason: "promotional wording ('\(promo)')")
        case (nil, let transaction?):
            return CategorySuggestion(category: "UTILITY", reason: "specific to the user ('\(transaction)') and not promotional")
        case (nil, nil):
            return CategorySuggestion(category: "MARKETING", reason: "unclear content is MARKETING (contracts.md §2.4)")
        }
    }
}
