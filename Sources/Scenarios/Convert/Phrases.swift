/// The few fixed words conversions add, per language (English otherwise).
enum Phrases {
    static let table: [String: [String: String]] = [
        "stop_promotions": [
            "en": "Stop promotions", "de": "Werbung abbestellen", "fr": "Arrêter les promos", "es": "No más promociones",
            "pt": "Parar promoções", "it": "Stop promozioni", "nl": "Stop aanbiedingen", "pl": "Wypisz z promocji",
        ],
        "open_link": [
            "en": "Open link", "de": "Link öffnen", "fr": "Ouvrir le lien", "es": "Abrir enlace", "pt": "Abrir link",
            "it": "Apri link", "nl": "Link openen", "pl": "Otwórz link",
        ],
        "choose": [
            "en": "Choose", "de": "Auswählen", "fr": "Choisir", "es": "Elegir", "pt": "Escolher", "it": "Scegli",
            "nl": "Kiezen", "pl": "Wybierz",
        ],
        "choose_option": [
            "en": "Choose an option:", "de": "Bitte auswählen:", "fr": "Choisissez une option :", "es": "Elige una opción:",
            "pt": "Escolha uma opção:", "it": "Scegli un'opzione:", "nl": "Kies een optie:", "pl": "Wybierz opcję:",
        ],
        "options": [
            "en": "Options", "de": "Optionen", "fr": "Options", "es": "Opciones", "pt": "Opções", "it": "Opzioni",
            "nl": "Opties", "pl": "Opcje",
        ],
        "more": [
            "en": "More options", "de": "Weitere Optionen", "fr": "Plus d'options", "es": "Más opciones",
            "pt": "Mais opções", "it": "Altre opzioni", "nl": "Meer opties", "pl": "Więcej opcji",
        ],
        "thanks": [
            "en": "Thank you.", "de": "Vielen Dank.", "fr": "Merci.", "es": "Gracias.", "pt": "Obrigado.",
            "it": "Grazie.", "nl": "Bedankt.", "pl": "Dziękujemy.",
        ],
        "hi": [
            "en": "Hi", "de": "Hallo", "fr": "Bonjour", "es": "Hola", "pt": "Olá", "it": "Ciao", "nl": "Hallo", "pl": "Cześć",
        ],
        "update": [
            "en": "Update:", "de": "Info:", "fr": "Info :", "es": "Aviso:", "pt": "Aviso:", "it": "Avviso:", "nl": "Update:",
            "pl": "Informacja:",
        ],
    ]

    static func text(_ key: String, language: String) -> String {
        let base = String(language.prefix { $0 != "_" && $0 != "-" }).lowercased()
        return table[key]?[base] ?? table[key]?["en"] ?? key
    }
}
