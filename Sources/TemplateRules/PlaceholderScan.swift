/// The `{{…}}` parameters in a template text, in order of appearance.
public struct PlaceholderScan: Sendable {
    public struct Token: Sendable, Equatable {
        /// What is between the braces, as written.
        public var content: String
        public var range: Range<String.Index>

        /// `{{3}}` → 3.
        public var index: Int? { content.allSatisfy(\.isASCII) ? Int(content) : nil }
        /// ASCII letters, digits and underscores: a name, maybe a badly cased one.
        public var isWord: Bool {
            !content.isEmpty && content.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        /// Lowercase letters and underscores (contracts.md §2.3 named parameters).
        public var isValidName: Bool {
            !content.isEmpty && content.allSatisfy { ("a"..."z").contains($0) || $0 == "_" }
        }
    }

    public var tokens: [Token] = []
    /// Braces that do not close: a lone `{{`, a stray `}}`, or a single brace.
    public var unbalanced = false

    public init(_ text: String) {
        var index = text.startIndex
        var open = 0
        var close = 0
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("{{") {
                let start = index
                let inner = text.index(index, offsetBy: 2)
                if let end = text[inner...].range(of: "}}") {
                    let content = String(text[inner..<end.lowerBound])
                    if content.contains("{") { unbalanced = true }
                    tokens.append(Token(content: content, range: start..<end.upperBound))
                    index = end.upperBound
                    continue
                }
                unbalanced = true
                break
            }
            if text[index] == "{" { open += 1 }
            if text[index] == "}" { close += 1 }
            index = text.index(after: index)
        }
        if open > 0 || close > 0 { unbalanced = true }
    }

    /// Distinct parameters in order of first appearance.
    public var distinct: [String] {
        var seen = Set<String>()
        return tokens.map(\.content).filter { seen.insert($0).inserted }
    }

    /// Text with every parameter removed.
    public static func stripped(_ text: String) -> String {
        let scan = PlaceholderScan(text)
        var out = text
        for token in scan.tokens.reversed() { out.replaceSubrange(token.range, with: " ") }
        return out
    }
}
