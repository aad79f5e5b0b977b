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
    static let optOutWords: Set<String> = Set([
        "STOP", "STOPP", "ARRET", "ARRÊT", "BAJA", "PARAR", "SAIR", "STOPALL", "UNSUBSCRIBE", "OPTOUT", "СТОП",
        "ОТПИСАТЬСЯ", "ОТПИСКА", "ВІДПИСАТИСЯ", "IPTAL", "İPTAL", "إلغاء", "الغاء", "ايقاف", "إيقاف",
    ]).union(contextWords)
    /// Keywords that are ordinary words too (`END OF SEASON SALE`): opt-out wording
    /// only beside a reply verb or a short code (`Reply END`, `RET yazıp 3347'ye`).
    static let contextWords: Set<String> = ["END", "CANCEL", "QUIT", "REMOVE", "ALTO", "RET"]
    static let replyVerbs: Set<String> = [
        "reply", "text", "txt", "send", "sms", "antworte", "antworten", "sende", "senden", "responde", "responda", "envía",
        "envia", "envie", "répondez", "repondez", "envoyez", "rispondi", "invia", "ответьте", "отправьте", "напишите",
        "відповідайте", "надішліть", "yazıp", "yazip", "gönder", "gönderin", "أرسل", "ارسل",
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
        if optOutPhrases.contains(where: lower.contains) { return true }
        if !words.isDisjoint(with: optOutWords.subtracting(contextWords)) { return true }
        guard !words.isDisjoint(with: contextWords) else { return false }
        let hasShortCode = text.split(whereSeparator: { !$0.isNumber }).contains { (3...6).contains($0.count) }
        return hasShortCode || words.contains { replyVerbs.contains($0.lowercased()) }
    }
}
