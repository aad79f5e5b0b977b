/// Sentences that belong to SMS and not to WhatsApp: opt-out instructions,
/// HELP instructions and carrier rate notices. Opt-out instructions are cut as
/// clauses (`OptOutClause`), never as whole sentences.
enum SMSBoilerplate {
    enum Kind: String {
        case help = "help_line"
        case rates = "rates_line"
    }

    /// Opt-out keywords as SMS texts write them (upper case), in the languages the
    /// tool ships reply keywords for and a few more (Turkish RET and IPTAL, Arabic).
    static let optOutWords: Set<String> = [
        "STOP", "STOPP", "ARRET", "ARRÊT", "BAJA", "ALTO", "PARAR", "SAIR", "STOPALL", "UNSUBSCRIBE", "OPTOUT", "END",
        "CANCEL", "QUIT", "REMOVE", "СТОП", "ОТПИСАТЬСЯ", "ОТПИСКА", "ВІДПИСАТИСЯ", "RET", "IPTAL", "İPTAL", "إلغاء", "الغاء",
        "ايقاف", "إيقاف",
    ]
    /// Opt-out wording in any case.
    static let optOutPhrases = [
        "opt out", "opt-out", "unsubscribe", "abmelden", "abbestellen", "désabonner", "desabonner", "darse de baja",
        "descadastrar", "cancelar a inscrição", "disiscriviti", "cancellarti", "отписаться", "отказаться от рассылки",
        "відписатися", "abonelikten çık", "listeden çık", "لإلغاء الاشتراك", "لالغاء الاشتراك",
    ]
    static let helpWords: Set<String> = ["HELP", "HILFE", "AIDE", "AYUDA", "AJUDA", "INFO"]
    static let ratePhrases = [
        "msg&data", "msg & data", "message and data rates", "msg and data", "std rates", "standard rates apply",
    ]

    /// Help and rate sentences (opt-out instructions are cut as clauses by `OptOutClause`).
    static func kind(of sentence: String) -> Kind? {
        let words = Set(sentence.split(whereSeparator: { !$0.isLetter }).map(String.init))
        let lower = sentence.lowercased()
        if ratePhrases.contains(where: lower.contains) { return .rates }
        if !words.isDisjoint(with: helpWords), ["reply", "text", "txt", "send", "sms"].contains(where: lower.contains) {
            return .help
        }
        return nil
    }

    /// An opt-out keyword written in capitals, or opt-out wording in any case.
    static func isOptOut(_ text: String) -> Bool {
        let words = Set(text.split(whereSeparator: { !$0.isLetter }).map(String.init))
        let lower = text.lowercased()
        return !words.isDisjoint(with: optOutWords) || optOutPhrases.contains(where: lower.contains)
    }
}
