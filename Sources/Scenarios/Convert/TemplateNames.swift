/// Template names: lowercase letters, digits and underscores, unique per language.
struct TemplateNames {
    private var used: Set<String> = []

    static func sanitized(_ raw: String) -> String {
        var out = ""
        for character in raw.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                out.append(character)
            } else if !out.isEmpty, out.last != "_" {
                out.append("_")
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        return String((out.isEmpty ? "template" : out).prefix(512))
    }

    /// A sanitized name not yet used for this language; `_2`, `_3`… when taken.
    mutating func claim(_ raw: String, language: String) -> String {
        let base = Self.sanitized(raw)
        var name = base
        var n = 2
        while used.contains("\(name)/\(language)") {
            name = "\(base)_\(n)"
            n += 1
        }
        used.insert("\(name)/\(language)")
        return name
    }
}
