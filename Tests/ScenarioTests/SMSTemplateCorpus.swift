import Testing

/// SMS templates written the way SMS platforms hold them, in the languages the tool
/// ships, each with the category it must get and the content that must survive
/// conversion (in the body or a button). Written for these tests from the kinds of
/// message the platforms document (one-time codes, order and delivery notices, bills,
/// appointments, account changes, offers and new collections), not copied.
struct CorpusCase: CustomTestStringConvertible, Sendable {
    var id: String
    var language: String
    var text: String
    var purpose = ""
    var category: String
    /// Must appear in the body text or a button's text or URL.
    var keep: [String] = []
    /// Must appear nowhere in the template (codes, opt-out keywords).
    var drop: [String] = []
    /// The conversion must send it to drafts/ (content beside the opt-out clause).
    var review = false

    var testDescription: String { "\(id) (\(language))" }
}

enum SMSTemplateCorpus {
    static let authentication: [CorpusCase] = [
        .init(
            id: "acme_login", language: "en",
            text: "Your ACME code is 482913. It expires in 10 minutes. Do not share it.", purpose: "login",
            category: "AUTHENTICATION", drop: ["482913"]),
        .init(
            id: "pin_reset", language: "en", text: "Use PIN 7720 to reset your password.", category: "AUTHENTICATION",
            drop: ["7720"]),
        .init(
            id: "otp_purpose", language: "en", text: "{code} is your code for ACME.", purpose: "otp", category: "AUTHENTICATION"),
        .init(
            id: "twofa", language: "en", text: "ACME: your sign-in code is {code}. Never share it with anyone.",
            purpose: "2fa", category: "AUTHENTICATION"),
        .init(
            id: "verify_en", language: "en", text: "Your verification code: 55190. Valid for 5 min.", category: "AUTHENTICATION",
            drop: ["55190"]),
        .init(
            id: "de_code", language: "de",
            text: "Ihr Bestätigungscode lautet 384021. Geben Sie ihn niemals weiter.", category: "AUTHENTICATION",
            drop: ["384021"]),
        .init(
            id: "de_pin", language: "de", text: "Ihre PIN für das Kundenportal: 9931. Gültig 15 Minuten.",
            category: "AUTHENTICATION", drop: ["9931"]),
        .init(
            id: "es_code", language: "es", text: "Tu código de verificación es 662410. No lo compartas con nadie.",
            category: "AUTHENTICATION", drop: ["662410"]),
        .init(
            id: "pt_code", language: "pt", text: "Seu código de acesso é 118273. Ele expira em 10 minutos.",
            category: "AUTHENTICATION", drop: ["118273"]),
        .init(
            id: "fr_code", language: "fr", text: "Votre code de connexion est 902817. Ne le partagez jamais.",
            category: "AUTHENTICATION", drop: ["902817"]),
        .init(
            id: "it_code", language: "it", text: "Il tuo codice di verifica è 447120. Scade tra 3 minuti.",
            category: "AUTHENTICATION", drop: ["447120"]),
        .init(
            id: "ru_code", language: "ru", text: "Ваш код для входа: 5521. Никому не сообщайте его.",
            category: "AUTHENTICATION", drop: ["5521"]),
        .init(
            id: "ru_purpose", language: "ru", text: "Код: {code}. Действует 5 минут.", purpose: "verification",
            category: "AUTHENTICATION"),
        .init(
            id: "uk_code", language: "uk", text: "Ваш код підтвердження 730014. Нікому його не повідомляйте.",
            category: "AUTHENTICATION", drop: ["730014"]),
        .init(
            id: "tr_code", language: "tr", text: "Doğrulama kodunuz 481516. Kimseyle paylaşmayın.", category: "AUTHENTICATION",
            drop: ["481516"]),
        .init(
            id: "ar_code", language: "ar", text: "رمز التحقق الخاص بك هو 620384. لا تشاركه مع أحد.", category: "AUTHENTICATION",
            drop: ["620384"]),
    ]

    static let utility: [CorpusCase] = [
        .init(
            id: "order_shipped", language: "en", text: "Hi {name}, your order {order} has shipped.", purpose: "shipping",
            category: "UTILITY", keep: ["has shipped"]),
        .init(
            id: "appointment_en", language: "en",
            text: "Reminder: your appointment with Dr. Lee is on {date} at {time}. Reply STOP to opt out.",
            category: "UTILITY", keep: ["your appointment with Dr. Lee is on"], drop: ["STOP"]),
        .init(
            id: "bill_en", language: "en", text: "Your bill of {amount} is due on {date}. Pay at https://acme.example/pay",
            category: "UTILITY", keep: ["is due on", "https://acme.example/pay"]),
        .init(
            id: "tracking_code", language: "en", text: "Your parcel is on its way. Tracking code {tracking}.",
            category: "UTILITY", keep: ["is on its way"]),
        .init(
            id: "account_en", language: "en", text: "The email address on your account was changed on {date}.",
            category: "UTILITY", keep: ["was changed on"]),
        .init(
            id: "refund_en", language: "en", text: "We have issued your refund of {amount}. Txt STOP to 55555 to end",
            category: "UTILITY", keep: ["We have issued your refund of"], drop: ["STOP", "55555"]),
        .init(
            id: "de_versand", language: "de", text: "Hallo {name}, Ihre Bestellung {nr} wurde versendet.",
            category: "UTILITY", keep: ["wurde versendet"]),
        .init(
            id: "de_termin", language: "de",
            text: "Erinnerung: Ihr Termin am {datum} um {uhrzeit}. Abmelden: STOP an 81234", category: "UTILITY",
            keep: ["Ihr Termin am"], drop: ["STOP", "81234", "Abmelden"]),
        .init(
            id: "de_rechnung", language: "de", text: "Ihre Rechnung über {betrag} ist am {datum} fällig.",
            category: "UTILITY", keep: ["ist am"]),
        .init(
            id: "es_factura", language: "es",
            text: "Hola {nombre}, tu factura de {importe} vence el {fecha}. Paga en acme.example/pagar", purpose: "billing",
            category: "UTILITY", keep: ["tu factura de", "vence el", "acme.example/pagar"]),
        .init(
            id: "es_pedido", language: "es",
            text: "Tu pedido {pedido} ha sido entregado. Responde BAJA para no recibir más mensajes.",
            category: "UTILITY", keep: ["ha sido entregado"], drop: ["BAJA"]),
        .init(
            id: "es_cita", language: "es", text: "Recordatorio: tiene una cita el {fecha} a las {hora}.", category: "UTILITY",
            keep: ["tiene una cita el"]),
        .init(
            id: "pt_pedido", language: "pt", text: "Olá {nome}, seu pedido {pedido} saiu para entrega.", category: "UTILITY",
            keep: ["saiu para entrega"]),
        .init(
            id: "pt_fatura", language: "pt", text: "Sua fatura de {valor} vence em {data}. Responda SAIR para cancelar.",
            category: "UTILITY", keep: ["vence em"], drop: ["SAIR"]),
        .init(
            id: "fr_commande", language: "fr", text: "Bonjour {prenom}, votre commande {numero} a été expédiée.",
            category: "UTILITY", keep: ["a été expédiée"]),
        .init(
            id: "fr_rdv", language: "fr", text: "Rappel : votre rendez-vous est le {date} à {heure}. STOP au 36111",
            category: "UTILITY", keep: ["votre rendez-vous est le"], drop: ["STOP", "36111"]),
        .init(
            id: "it_ordine", language: "it", text: "Ciao {nome}, il tuo ordine {numero} è in consegna oggi.",
            category: "UTILITY", keep: ["è in consegna oggi"]),
        .init(
            id: "it_appuntamento", language: "it", text: "Promemoria: appuntamento il {data} alle {ora}.", category: "UTILITY",
            keep: ["appuntamento il"]),
        .init(
            id: "ru_zakaz", language: "ru", text: "Здравствуйте, {name}! Ваш заказ {order} передан в доставку.",
            category: "UTILITY", keep: ["передан в доставку"]),
        .init(
            id: "ru_oplata", language: "ru", text: "Оплата по счёту {number} получена. Спасибо! СТОП на 4545",
            category: "UTILITY", keep: ["получена"], drop: ["СТОП", "4545"]),
        .init(
            id: "uk_zamovlennya", language: "uk", text: "Ваше замовлення {order} доставлено у відділення.",
            category: "UTILITY", keep: ["доставлено у відділення"]),
        .init(
            id: "uk_nagaduvannya", language: "uk", text: "Нагадування: оплата рахунку {number} до {date}.",
            category: "UTILITY", keep: ["до"]),
        .init(
            id: "tr_siparis", language: "tr", text: "Merhaba {ad}, siparişiniz {no} kargoya verildi.", category: "UTILITY",
            keep: ["kargoya verildi"]),
        .init(
            id: "tr_randevu", language: "tr", text: "Randevunuz {tarih} saat {saat}. İptal için RET yazıp 3347'ye gönderin.",
            category: "UTILITY", keep: ["Randevunuz"], drop: ["RET", "3347"]),
        .init(
            id: "ar_order", language: "ar", text: "مرحباً {name}، تم شحن طلبك رقم {order}.", category: "UTILITY",
            keep: ["تم شحن طلبك رقم"]),
        .init(
            id: "ar_bill", language: "ar", text: "تذكير: فاتورة {amount} مستحقة في {date}.", category: "UTILITY",
            keep: ["مستحقة في"]),
    ]

    static let marketing: [CorpusCase] = [
        .init(
            id: "flash_sale", language: "en",
            text: "FLASH SALE!!! 50% OFF everything today only at acme.example/sale - reply STOP to opt out",
            category: "MARKETING", keep: ["FLASH SALE", "50% OFF everything today only", "acme.example/sale"], drop: ["STOP"]),
        .init(
            id: "new_collection", language: "en",
            text: "Hi {name}, our new collection is here: https://acme.example/new. Text STOP to opt out.",
            category: "MARKETING", keep: ["our new collection is here", "https://acme.example/new"], drop: ["STOP"]),
        .init(
            id: "promo_code_en", language: "en", text: "Use code SPRING20 for 20% off all shoes this weekend. Txt STOP",
            category: "MARKETING", keep: ["SPRING20", "20% off all shoes this weekend"], drop: ["Txt"]),
        .init(
            id: "unsub_mixed", language: "en",
            text: "Big savings on garden tools this week. Reply STOP to opt out or visit acme.example/prefs",
            category: "MARKETING", keep: ["Big savings on garden tools"], review: true),
        .init(
            id: "exclusive_en", language: "en", text: "Exclusive for members: free shipping until Sunday, reply STOP to end.",
            category: "MARKETING", keep: ["Exclusive for members: free shipping until Sunday"], drop: ["STOP"]),
        .init(
            id: "de_herbst", language: "de",
            text: "Herbst-Rabatt: 20% auf alles mit Code HERBST20 bis Sonntag. Abmelden: STOP an 81234",
            category: "MARKETING", keep: ["HERBST20", "20% auf alles"], drop: ["81234"]),
        .init(
            id: "de_kollektion", language: "de", text: "Die neue Kollektion ist da! Jetzt entdecken: https://acme.example/neu",
            category: "MARKETING", keep: ["Die neue Kollektion ist da", "https://acme.example/neu"]),
        .init(
            id: "de_angebot", language: "de", text: "Nur heute: Angebote bis -40% im Shop, Abmeldung mit STOPP an 4040",
            category: "MARKETING", keep: ["Angebote bis -40% im Shop"], drop: ["STOPP", "4040"]),
        .init(
            id: "es_rebajas", language: "es", text: "¡Rebajas de invierno! Hasta 30% de descuento. Responde BAJA al 22333",
            category: "MARKETING", keep: ["Rebajas de invierno", "Hasta 30% de descuento"], drop: ["BAJA", "22333"]),
        .init(
            id: "es_oferta", language: "es", text: "Oferta especial para ti: 2x1 en cafés con el código CAFE2X1.",
            category: "MARKETING", keep: ["CAFE2X1", "2x1 en cafés"]),
        .init(
            id: "pt_promocao", language: "pt", text: "Promoção relâmpago: 25% de desconto só hoje! Envie SAIR para 28888",
            category: "MARKETING", keep: ["25% de desconto só hoje"], drop: ["SAIR", "28888"]),
        .init(
            id: "pt_colecao", language: "pt", text: "Conheça a nova coleção de verão em acme.example/verao",
            category: "MARKETING", keep: ["nova coleção de verão", "acme.example/verao"]),
        .init(
            id: "fr_soldes", language: "fr", text: "Les soldes commencent ! -50% sur une sélection. STOP au 36180",
            category: "MARKETING", keep: ["Les soldes commencent", "-50% sur une sélection"], drop: ["36180"]),
        .init(
            id: "fr_offre", language: "fr", text: "Offre spéciale : livraison offerte avec le code LIVRAISON.",
            category: "MARKETING", keep: ["LIVRAISON", "livraison offerte"]),
        .init(
            id: "it_saldi", language: "it", text: "Saldi di fine stagione: sconti fino al 60%! Rispondi STOP per disiscriverti",
            category: "MARKETING", keep: ["sconti fino al 60%"], drop: ["STOP"]),
        .init(
            id: "it_collezione", language: "it", text: "Scopri la nuova collezione su acme.example/it",
            category: "MARKETING", keep: ["nuova collezione", "acme.example/it"]),
        .init(
            id: "ru_skidka", language: "ru", text: "Скидка 30% на всё до воскресенья! Промокод ОСЕНЬ30. Отписаться: СТОП на 4545",
            category: "MARKETING", keep: ["Скидка 30% на всё до воскресенья", "ОСЕНЬ30"], drop: ["4545"]),
        .init(
            id: "ru_kollekciya", language: "ru", text: "Новая коллекция уже в магазинах, {name}!", category: "MARKETING",
            keep: ["Новая коллекция уже в магазинах"]),
        .init(
            id: "uk_znyzhky", language: "uk", text: "Знижки до 50% лише сьогодні! Для відписки надішліть СТОП на 7070",
            category: "MARKETING", keep: ["Знижки до 50% лише сьогодні"], drop: ["СТОП", "7070"]),
        .init(
            id: "tr_indirim", language: "tr", text: "Tüm ürünlerde %20 indirim! Kod: KIS20. RET yazıp 3347'ye gönder",
            category: "MARKETING", keep: ["indirim", "KIS20"], drop: ["3347"]),
        .init(
            id: "tr_kampanya", language: "tr", text: "Yeni kampanyamız başladı: acme.example/tr", category: "MARKETING",
            keep: ["kampanyamız başladı", "acme.example/tr"]),
        .init(
            id: "ar_khasm", language: "ar", text: "خصم 40% على جميع المنتجات هذا الأسبوع!", category: "MARKETING",
            keep: ["خصم 40% على جميع المنتجات"]),
        .init(
            id: "ar_offer", language: "ar", text: "عروض الصيف بدأت الآن، لإلغاء الاشتراك أرسل STOP إلى 9090",
            category: "MARKETING", keep: ["عروض الصيف بدأت الآن"], drop: ["9090"]),
        .init(
            id: "end_of_season", language: "en", text: "END OF SEASON SALE: 30% off everything, this week only.",
            category: "MARKETING", keep: ["END OF SEASON SALE: 30% off everything, this week only."]),
        .init(
            id: "unclear_en", language: "en", text: "Hello from ACME! We think of you.", category: "MARKETING",
            keep: ["We think of you"]),
    ]

    static let all = authentication + utility + marketing
}
