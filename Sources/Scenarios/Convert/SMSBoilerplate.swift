/// Sentences that belong to SMS and not to WhatsApp: opt-out instructions,
/// HELP instructions and carrier rate notices.
enum SMSBoilerplate {
    enum Kind: String {
        case optOut = "opt_out_line"
        case help = "help_line"
        case rates = "rates_line"
    }

    static let optOutWords: Set<String> = [
        "STOP", "STOPP", "ARRET", "ARRÊT", "BAJA", "PARAR", "SAIR", "STOPALL", "UNSUBSCRIBE", "OPTOUT",
    ]
    static let optOutPhrases = ["opt out", "opt-out", "unsubscribe", "abmelden", "désabonner", "darse de baja", "descadastrar"]
    static let helpWords: Set<String> = ["HELP", "HILFE", "AIDE", "AYUDA", "AJUDA", "INFO"]
    static let ratePhrases = [
        "msg&data", "msg & data", "message and data rates", "msg and data", "std rates", "standard rates apply",
    ]

    static func kind(of sentence: String) -> Kind? {
        let words = Set(sentence.split(whereSeparator: { !$0.isLetter }).map(String.init))
        let lower = sentence.lowercased()
        if ratePhrases.contains(where: lower.contains) { return .rates }
        if !words.isDisjoint(with: optOutWords) || optOutPhrases.contains(where: lower.contains) { return .optOut }
        if !words.isDisjoint(with: helpWords), ["reply", "text", "txt", "send", "sms"].contains(where: lower.contains) {
            return .help
        }
        return nil
    }
}
