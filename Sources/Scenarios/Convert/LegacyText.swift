import Foundation

/// A legacy message split into literal text and placeholders, whatever style
/// the placeholders were written in: `[Name]`, `{name}`, `{{name}}`, `%NAME%`, `$name`.
struct LegacyText {
    enum Segment: Equatable {
        case literal(String)
        case placeholder(name: String, written: String)
    }

    var segments: [Segment]

    static let pattern = try! NSRegularExpression(
        pattern:
            #"\{\{\s*([A-Za-z0-9_ ]+?)\s*\}\}|\{([A-Za-z][A-Za-z0-9_ ]*)\}|\[([A-Za-z][A-Za-z0-9_ #]*)\]|%([A-Za-z][A-Za-z0-9_]*)%|\$([A-Za-z][A-Za-z0-9_]*)"#
    )

    init(_ text: String) {
        var segments: [Segment] = []
        let ns = text as NSString
        var cursor = 0
        for match in Self.pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            if match.range.location > cursor {
                segments.append(.literal(ns.substring(with: NSRange(location: cursor, length: match.range.location - cursor))))
            }
            let group = (1...5).map { match.range(at: $0) }.first { $0.location != NSNotFound }!
            segments.append(
                .placeholder(
                    name: PlaceholderNames.normalized(ns.substring(with: group)), written: ns.substring(with: match.range)))
            cursor = match.range.location + match.range.length
        }
        if cursor < ns.length { segments.append(.literal(ns.substring(from: cursor))) }
        self.segments = segments
    }

    var placeholders: [(name: String, written: String)] {
        segments.compactMap {
            if case .placeholder(let name, let written) = $0 { return (name, written) }
            return nil
        }
    }

    /// Text with each placeholder written by `render`.
    func rendered(_ render: (String) -> String) -> String {
        segments.map {
            switch $0 {
            case .literal(let text): text
            case .placeholder(let name, _): render(name)
            }
        }.joined()
    }

    static func isFiller(_ text: String) -> Bool { text.allSatisfy { $0.isWhitespace || $0.isPunctuation } }
}

/// Sentences of a message, each with its closing punctuation and spacing.
enum Sentences {
    static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        let characters = Array(text)
        var word = ""
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            // SMS often runs a link straight into the next sentence: a link ends its sentence.
            let lower = word.lowercased()
            if character == " ", lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.") {
                sentences.append(current)
                current = ""
            }
            word = character.isWhitespace ? "" : word + String(character)
            current.append(character)
            if character.isNewline || (".!?".contains(character) && (next == nil || next!.isWhitespace)) {
                sentences.append(current)
                current = ""
            }
        }
        if !current.isEmpty { sentences.append(current) }
        return sentences
    }

    /// Joined back, with runs of spaces collapsed and blank edges trimmed.
    static func join(_ sentences: [String]) -> String {
        var text = sentences.joined()
        while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
        while text.contains("\n\n\n") { text = text.replacingOccurrences(of: "\n\n\n", with: "\n\n") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
