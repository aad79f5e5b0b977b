import Yams

/// Decodes YAML after checking how deeply it nests: the parser underneath recurses once
/// per level, so a 10 KB file nested 5,000 deep crashed the process (SIGSEGV) instead of
/// being refused. No file the tool reads needs more than a handful of levels.
public enum BoundedYAML {
    public static let maxDepth = 64

    /// Nesting deeper than `maxDepth`, at a 1-based line.
    public struct TooDeep: Error, CustomStringConvertible {
        public var line: Int
        public var description: String {
            "nested more than \(BoundedYAML.maxDepth) levels deep (line \(line)); no wamigrate file needs that"
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try check(text)
        return try YAMLDecoder().decode(type, from: text)
    }

    /// The text's lines as YAML breaks them: at LF, CRLF or a lone CR.
    static func lines(_ text: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(text.utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 10 || byte == 13 {
                lines.append(bytes[start..<index])
                if byte == 13, index + 1 < bytes.count, bytes[index + 1] == 10 { index += 1 }
                start = index + 1
            }
            index += 1
        }
        lines.append(bytes[start..<bytes.count])
        return lines
    }

    /// One pass over the text, no recursion: block levels by indentation (and compact
    /// `- - -` sequences and `? ? ?` explicit keys), flow levels by brackets outside quotes.
    public static func check(_ text: String) throws {
        var indents: [Int] = []
        var flow = 0
        var lineNumber = 0
        for line in lines(text) {
            lineNumber += 1
            let bytes = Array(line)
            var index = 0
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            if index == bytes.count || bytes[index] == UInt8(ascii: "#") { continue }
            if flow == 0 {
                while let last = indents.last, last >= index { indents.removeLast() }
                indents.append(index)
            }
            var compact = 0
            var quote: UInt8?
            var position = index
            while position < bytes.count {
                let byte = bytes[position]
                if let open = quote {
                    if byte == open { quote = nil }
                } else {
                    switch byte {
                    // A quote starts a quoted scalar only where a scalar starts; inside a plain
                    // one (`x'y: {…`) it is a letter, and the brackets after it still count.
                    case UInt8(ascii: "\""),
                        UInt8(ascii: "'")
                    where position == index || " [{,:-?".utf8.contains(bytes[position - 1]):
                        quote = byte
                    case UInt8(ascii: "["), UInt8(ascii: "{"): flow += 1
                    case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
                    case UInt8(ascii: "#") where position > 0 && bytes[position - 1] == UInt8(ascii: " "):
                        position = bytes.count
                        continue
                    case UInt8(ascii: "-"),
                        UInt8(ascii: "?")
                    where (position + 1 == bytes.count || bytes[position + 1] == UInt8(ascii: " "))
                        && (position == index || bytes[position - 1] == UInt8(ascii: " ")):
                        compact += 1
                    default: break
                    }
                }
                if indents.count + compact + flow > maxDepth { throw TooDeep(line: lineNumber) }
                position += 1
            }
        }
    }
}
