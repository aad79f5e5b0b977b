/// Template names: lowercase letters, digits and underscores, unique per language.
struct TemplateNames {
    private var used: Set<String> = []
    /// The next suffix to try per base name and language, so a name repeated n times costs n, not n².
    private var next: [String: Int] = [:]

    static func sanitized(_ raw: String) -> String {
        String(Identifier.snake(raw, digits: true, empty: "template").prefix(512))
    }

    /// A sanitized name not yet used for this language; `_2`, `_3`… when taken.
    mutating func claim(_ raw: String, language: String) -> String {
        let base = Self.sanitized(raw)
        var name = base
        var n = next["\(base)/\(language)"] ?? 2
        while used.contains("\(name)/\(language)") {
            name = "\(base)_\(n)"
            n += 1
        }
        next["\(base)/\(language)"] = n
        used.insert("\(name)/\(language)")
        return name
    }
}

/// `Order #2 (new)` → `order_2_new`: lowercase ASCII letters (and digits when
/// allowed) joined by single underscores.
enum Identifier {
    static func snake(_ raw: String, digits: Bool, empty: String) -> String {
        var out = ""
        for character in raw.lowercased() {
            if character.isASCII, character.isLetter || (digits && character.isNumber) {
                out.append(character)
            } else if !out.isEmpty, out.last != "_" {
                out.append("_")
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        return out.isEmpty ? empty : out
    }
}
