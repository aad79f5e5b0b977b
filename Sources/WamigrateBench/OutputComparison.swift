import Foundation

/// Two jobs' output folders compared file by file, byte for byte, once each job's contact
/// ids (salted per job, so never equal between two jobs) are replaced by labels in order of
/// first appearance, reading the files in one fixed order: equal when both jobs made the same
/// contacts, rejections and lists.
public enum OutputComparison {
    public static let files = [
        "contacts.csv", "viber_only.csv", "rejected_rows.csv", "whatsapp_ready.csv", "whatsapp_ready.jsonl",
        "reconsent.csv", "reconsent.jsonl", "unreachable.csv", "unreachable.jsonl", "rejected.csv", "rejected.jsonl",
        "review.csv", "review.jsonl",
    ]

    /// The files that differ (a file missing on either side differs).
    public static func differences(_ left: String, _ right: String) -> [String] {
        let (a, b) = (Labels(), Labels())
        return files.filter { name in
            guard let x = try? String(contentsOfFile: left + "/" + name, encoding: .utf8),
                let y = try? String(contentsOfFile: right + "/" + name, encoding: .utf8)
            else { return true }
            return a.relabel(x) != b.relabel(y)
        }
    }

    /// One job's contact ids and the labels (`contact-1`, `contact-2` …) they got, in order of
    /// first appearance across the texts relabelled through it.
    public final class Labels {
        private var labels: [String: String] = [:]
        private static let pattern = try! NSRegularExpression(pattern: "\\bc[0-9a-f]{16}\\b")

        public init() {}

        public func relabel(_ text: String) -> String {
            var out = ""
            var last = text.startIndex
            for match in Self.pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let range = Range(match.range, in: text)!
                let id = String(text[range])
                if labels[id] == nil { labels[id] = "contact-\(labels.count + 1)" }
                out += text[last..<range.lowerBound] + labels[id]!
                last = range.upperBound
            }
            return out + text[last...]
        }
    }
}
