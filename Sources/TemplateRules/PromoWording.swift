import Foundation

/// Wording that decides a category: promotion (MARKETING), one-time codes
/// (AUTHENTICATION) and transactions (UTILITY). Matched on whole words, without case.
public enum PromoWording {
    public static let promotional = [
        "sale", "% off", "discount", "offer", "promo", "promotion", "coupon", "deal", "deals", "free shipping", "shop now",
        "buy now", "limited time", "exclusive", "black friday", "cyber monday", "voucher", "save up to", "new arrivals",
        "new collection", "special offer", "win a", "bonus", "cashback", "upgrade", "renew", "subscribe now",
        "rabatt", "angebot", "gutschein", "soldes", "promoción", "descuento", "oferta", "desconto", "promoção",
    ]
    public static let oneTimeCode = [
        "verification code", "one-time", "one time password", "otp", "passcode", "login code", "security code",
        "confirmation code", "bestätigungscode", "código de verificação", "código de verificación", "code de vérification",
    ]
    public static let transactional = [
        "order", "shipped", "shipment", "delivery", "delivered", "parcel", "tracking", "account", "appointment",
        "booking", "reservation", "payment", "invoice", "receipt", "balance", "refund", "reminder", "ticket",
        "password", "statement", "bestellung", "termin", "lieferung", "commande", "pedido", "cita", "entrega",
    ]
    public static let sensitive = [
        "card number", "cvv", "cvc", "your pin", "pin code", "send your password", "reply with your password",
        "social security number", "passport number",
    ]

    /// The first listed phrase that occurs in the text as whole words.
    public static func firstMatch(_ phrases: [String], in text: String) -> String? {
        let lower = " " + text.lowercased().map { $0.isLetter || $0.isNumber || $0 == "%" || $0 == "-" ? $0 : " " } + " "
        let words = String(lower)
        return phrases.first { words.contains(" \($0) ") }
    }
}
