import Foundation

/// Cuts the opt-out instruction out of a sentence as a clause: `- reply STOP to
/// opt out`, `Abmelden: STOP an 81234`, `Txt STOP`, `СТОП 4545`. The sentence is
/// split at clause marks (` - `, `, `, `; `, `: `, brackets…); in a clause that
/// holds the opt-out keyword, the cut starts at the first word from which every
/// word to the clause's end is opt-out wording (keywords, reply verbs, short
/// codes, small words). Everything else stays. A clause where the keyword is mixed
/// with other content is removed whole and reported as dropped content, so the
/// template goes to drafts/ for a person instead of losing words silently.
enum OptOutClause {
    struct Cut {
        /// The sentence without the clause (trimmed of the marks around it).
        var kept: String
        /// What was removed, as written.
        var removed: String
        /// Words other than opt-out wording were in the removed part.
        var droppedContent: [String]
    }

    /// nil when the sentence has no opt-out wording.
    static func cut(_ sentence: String) -> Cut? {
        guard SMSBoilerplate.isOptOut(sentence) else { return nil }
        let clauses = split(sentence)
        var kept = ""
        var removed: [String] = []
        var dropped: [String] = []
        for clause in clauses {
            guard SMSBoilerplate.isOptOut(clause.text) else {
                kept += clause.text + clause.mark
                continue
            }
            let tokens = Self.tokens(clause.text)
            // The earliest start from which the rest is all opt-out wording.
            var start: Int?
            for index in tokens.indices.reversed() {
                guard isWording(tokens[index]) else { break }
                start = index
            }
            if let start, SMSBoilerplate.isOptOut(String(clause.text[tokens[start].range.lowerBound...])) {
                let cutAt = tokens[start].range.lowerBound
                let head = String(clause.text[..<cutAt])
                removed.append(String(clause.text[cutAt...]).trimmingCharacters(in: .whitespaces))
                if head.trimmingCharacters(in: marks).isEmpty {
                    kept += clause.mark.contains("\n") ? clause.mark : ""
                } else {
                    kept += head.trimmingCharacters(in: .whitespaces) + clause.mark
                }
            } else {
                removed.append(clause.text.trimmingCharacters(in: .whitespaces))
                dropped += tokens.filter { !isWording($0) }.map(\.word)
                kept += clause.mark.contains("\n") ? clause.mark : ""
            }
        }
        return Cut(kept: tidy(kept), removed: removed.joined(separator: " … "), droppedContent: dropped)
    }

    // MARK: - Clauses

    private struct Clause {
        var text: String
        /// The mark that ended it (kept when the clause is kept).
        var mark: String
    }

    static let clauseMarks = [" - ", " – ", " — ", "; ", ", ", ": ", " (", ") ", " | ", " / ", "\n"]
    private static let marks = CharacterSet(charactersIn: " -–—;,:()|/\n.!?")

    private static func split(_ sentence: String) -> [Clause] {
        var clauses: [Clause] = []
        var rest = Substring(sentence)
        while !rest.isEmpty {
            let next = clauseMarks.compactMap { mark in rest.range(of: mark).map { ($0, mark) } }
                .min { $0.0.lowerBound < $1.0.lowerBound }
            guard let (range, mark) = next else {
                clauses.append(Clause(text: String(rest), mark: ""))
                break
            }
            clauses.append(Clause(text: String(rest[..<range.lowerBound]), mark: mark))
            rest = rest[range.upperBound...]
        }
        return clauses
    }

    /// What is left once clauses are cut: no dangling marks at the end.
    private static func tidy(_ text: String) -> String {
        var text = text
        while let last = text.last, " -–—;,:(|/".contains(last) { text.removeLast() }
        if text.trimmingCharacters(in: .whitespaces).isEmpty { return text.contains("\n") ? "\n" : "" }
        return text
    }

    // MARK: - Words

    private struct Token {
        var word: String
        var range: Range<String.Index>
        /// Digits only as written (a short code), not an amount like `20%`.
        var isNumber: Bool
    }

    private static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard !text[index].isWhitespace else {
                index = text.index(after: index)
                continue
            }
            let start = index
            while index < text.endIndex, !text[index].isWhitespace { index = text.index(after: index) }
            var word = String(text[start..<index]).trimmingCharacters(in: marks.union(.punctuationCharacters))
            // Turkish case suffixes on short codes: 3347'ye, 4545'e.
            if let apostrophe = word.firstIndex(where: { $0 == "'" || $0 == "’" }) { word = String(word[..<apostrophe]) }
            var raw = String(text[start..<index]).trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?()"))
            if let apostrophe = raw.firstIndex(where: { $0 == "'" || $0 == "’" }) { raw = String(raw[..<apostrophe]) }
            tokens.append(Token(word: word, range: start..<index, isNumber: raw.allSatisfy(\.isNumber) && !raw.isEmpty))
        }
        return tokens
    }

    /// Words an opt-out instruction is made of, besides its keyword: reply verbs,
    /// prepositions and articles, "free", short codes.
    static let wording: Set<String> = [
        // en
        "reply", "text", "txt", "send", "sms", "msg", "to", "a", "the", "or", "and", "with", "at", "opt", "out", "optout",
        "unsubscribe", "unsub", "stop", "end", "cancel", "quit", "remove", "free", "please", "for", "no", "more", "messages",
        "msgs", "from", "us", "this", "list", "anytime", "any", "time",
        // de
        "antworte", "antworten", "antworten sie", "sende", "senden", "sms", "mit", "an", "zum", "zur", "abmelden", "abmeldung",
        "abbestellen", "stopp", "kostenlos", "gratis", "keine", "weiteren", "nachrichten",
        // es, pt, it, fr
        "responde", "responda", "envía", "envia", "envie", "manda", "al", "el", "la", "para", "de", "darse", "baja", "alto",
        "parar", "sair", "cancelar", "descadastrar", "rispondi", "invia", "scrivi", "per", "disiscriviti", "cancellarti",
        "répondez", "repondez", "envoyez", "au", "pour", "vous", "désabonner", "desabonner", "arret", "arrêt", "se",
        "mensagens", "mensajes", "recibir", "receber", "más", "mas", "mais", "plus", "più", "piu", "recevoir", "ricevere",
        "messaggi", "disiscriverti", "disiscrizione", "cancellazione", "desinscription", "désinscription", "ne", "pas",
        "non", "não", "nao",
        // ru, uk
        "ответьте", "отправьте", "напишите", "пришлите", "смс", "на", "для", "отказа", "от", "рассылки", "отписаться", "стоп",
        "відповідайте", "надішліть", "напишіть", "відмови", "розсилки", "відписатися", "бесплатно", "безкоштовно",
        // tr
        "ret", "iptal", "yazıp", "yazip", "yaz", "gönder", "gönderin", "gonder", "mesaj", "almamak", "için", "icin",
        "abonelikten", "çık", "çıkmak",
        // ar
        "أرسل", "ارسل", "إلى", "الى", "إلغاء", "الغاء", "لإلغاء", "لالغاء", "الاشتراك", "ايقاف", "إيقاف",
    ]

    private static func isWording(_ token: Token) -> Bool {
        let word = token.word
        if word.isEmpty { return true }
        if word.allSatisfy(\.isNumber) { return token.isNumber && word.count <= 6 }  // a short code, not an amount
        return wording.contains(word.lowercased()) || SMSBoilerplate.optOutWords.contains(word)
    }
}
