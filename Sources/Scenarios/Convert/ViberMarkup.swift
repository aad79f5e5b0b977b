import Foundation

/// Viber's HTML-like tags → WhatsApp formatting: `<b>` → `*bold*`, `<i>` →
/// `_italic_`, `<s>` → `~strike~`, `<br>` → newline; `<u>` and `<font>` have no
/// WhatsApp equivalent and are dropped (reported).
enum ViberMarkup {
    struct Result {
        var text: String
        /// Tags that had no WhatsApp form, e.g. `u`, `font`.
        var dropped: Set<String>
        var converted: Set<String>
    }

    static let tag = try! NSRegularExpression(pattern: #"<\s*(/?)\s*([a-zA-Z]+)[^>]*>"#)

    static func convert(_ text: String, plain: Bool = false) -> Result {
        let ns = text as NSString
        var out = ""
        var cursor = 0
        var dropped = Set<String>()
        var converted = Set<String>()
        for match in tag.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
            cursor = match.range.location + match.range.length
            let name = ns.substring(with: match.range(at: 2)).lowercased()
            switch name {
            case "br":
                out += plain ? " " : "\n"
                converted.insert(name)
            case "b", "i", "s":
                if plain {
                    dropped.insert(name)
                } else {
                    out += ["b": "*", "i": "_", "s": "~"][name]!
                    converted.insert(name)
                }
            default:
                dropped.insert(name)
            }
        }
        out += ns.substring(from: cursor)
        for (entity, value) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " ")] {
            out = out.replacingOccurrences(of: entity, with: value)
        }
        return Result(text: out.trimmingCharacters(in: .whitespacesAndNewlines), dropped: dropped, converted: converted)
    }
}
