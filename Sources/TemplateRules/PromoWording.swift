import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Wording that decides a category: promotion (MARKETING), one-time codes
/// (AUTHENTICATION) and transactions (UTILITY), in the languages the tool ships
/// keywords and texts for (en, de, es, pt, fr, it, ru, uk, tr, ar). Matched on
/// whole words without case; a phrase ending in `*` matches any word it begins
/// (`заказ*`: заказ, заказа, заказе), for languages that inflect.
public enum PromoWording {
    public static let promotional = [
        // en
        "sale", "% off", "discount", "discounts", "offer", "offers", "promo", "promotion", "coupon", "deal", "deals",
        "free shipping", "shop now", "buy now", "limited time", "exclusive", "black friday", "cyber monday", "voucher",
        "save up to", "new arrivals", "new collection", "special offer", "win a", "bonus", "cashback", "upgrade", "renew",
        "subscribe now", "clearance",
        // de
        "rabatt*", "angebot*", "gutschein*", "sonderangebot*", "aktion", "reduziert", "neue kollektion", "schnäppchen",
        "jetzt kaufen", "jetzt shoppen", "nur heute",
        // es
        "promoción", "promocion", "descuento*", "oferta*", "rebaja*", "nueva colección", "cupón", "cupon", "compra ahora",
        // pt
        "desconto*", "promoção", "promocao", "liquidação", "liquidacao", "nova coleção", "cupom", "compre já",
        // fr
        "soldes", "promo*", "remise*", "réduction*", "reduction*", "nouvelle collection", "bon plan", "offre*",
        // it
        "sconto", "sconti", "saldi", "offerta", "offerte", "nuova collezione", "promozione", "buono sconto",
        // ru
        "скидк*", "распродаж*", "акци*", "промокод*", "новая коллекция", "новой коллекции", "выгод*", "купон*",
        // uk
        "знижк*", "розпродаж*", "акці*", "нова колекція", "нової колекції", "вигідн*",
        // tr
        "indirim*", "kampanya*", "fırsat*", "firsat*", "yeni koleksiyon", "kupon*",
        // ar
        "خصم", "تخفيض*", "تخفيضات", "عرض", "عروض", "تنزيلات", "مجموعة جديدة", "كوبون",
    ]
    public static let oneTimeCode = [
        "verification code", "one-time", "one time password", "otp", "passcode", "login code", "security code",
        "confirmation code", "sign-in code", "2fa", "bestätigungscode", "anmeldecode", "sicherheitscode", "einmalcode",
        "código de verificação", "código de verificación", "código de acceso", "code de vérification", "code de connexion",
        "codice di verifica", "codice otp", "код подтверждения", "код для входа", "одноразовый код", "код підтвердження",
        "код для входу", "одноразовий код", "doğrulama kodu", "dogrulama kodu", "tek kullanımlık", "رمز التحقق",
        "كود التحقق", "رمز التفعيل",
    ]
    public static let transactional = [
        // en
        "order", "shipped", "shipment", "delivery", "delivered", "parcel", "tracking", "account", "appointment", "booking",
        "reservation", "payment", "invoice", "bill", "receipt", "balance", "refund", "reminder", "ticket", "password",
        "statement", "due", "overdue",
        // de
        "bestellung*", "termin", "termine", "terminerinnerung", "lieferung", "versand*", "versendet", "paket", "rechnung*",
        "zahlung*", "konto",
        "buchung*", "erinnerung", "kontostand", "fällig",
        // es
        "pedido*", "cita", "entrega", "envío", "envio", "factura*", "pago", "cuenta", "reserva*", "vence", "recordatorio",
        "paquete",
        // pt
        "encomenda*", "consulta", "fatura*", "pagamento*", "conta", "vencimento", "agendamento", "lembrete", "boleto",
        // fr
        "commande*", "livraison", "colis", "facture*", "paiement", "compte", "rendez-vous", "échéance", "rappel",
        // it
        "ordine", "spedizione", "spedito", "consegna", "pacco", "fattura", "pagamento", "appuntamento", "prenotazione",
        "scadenza", "promemoria",
        // ru
        "заказ*", "доставк*", "посылк*", "счёт", "счет", "оплат*", "платеж*", "платёж*", "запис*", "бронирован*",
        "напоминан*",
        // uk
        "замовлен*", "доставк*", "посилк*", "рахун*", "оплат*", "платіж*", "нагадуван*", "бронюван*",
        // tr
        "sipariş*", "siparis*", "kargo*", "teslimat*", "fatura*", "ödeme*", "odeme*", "randevu*", "rezervasyon*", "hesab*",
        // ar
        "طلبك", "الطلب", "شحن*", "الشحنة", "توصيل", "فاتورة", "الفاتورة", "دفع", "الدفع", "موعد*", "حجز*", "حسابك",
    ]
    public static let sensitive = [
        "card number", "cvv", "cvc", "your pin", "pin code", "send your password", "reply with your password",
        "social security number", "passport number",
    ]

    /// The first listed phrase that occurs in the text as whole words (or, with a
    /// trailing `*`, as the start of a word). The text is reduced once to its words
    /// (anything but a letter, a digit, `%` and `-` separates them), in canonical form,
    /// and each phrase is found in its UTF-8 bytes (`memmem`).
    public static func firstMatch(_ phrases: [String], in text: String) -> String? {
        let lower = text.lowercased().map { $0.isLetter || $0.isNumber || $0 == "%" || $0 == "-" ? $0 : " " }
        let words = Array((" " + String(lower) + " ").precomposedStringWithCanonicalMapping.utf8)
        return words.withUnsafeBytes { haystack in
            phrases.first { phrase in
                let needle = Array((phrase.hasSuffix("*") ? " \(phrase.dropLast())" : " \(phrase) ").utf8)
                return needle.withUnsafeBytes { Self.occurs($0, in: haystack) }
            }
        }
    }

    /// Whether `needle` occurs in `haystack`: each candidate start found by `memchr`, checked by `memcmp`.
    static func occurs(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count, let base = haystack.baseAddress else {
            return needle.isEmpty
        }
        var offset = 0
        let last = haystack.count - needle.count
        while offset <= last {
            guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return false }
            let start = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + start, needle.baseAddress!, needle.count) == 0 { return true }
            offset = start + 1
        }
        return false
    }
}
