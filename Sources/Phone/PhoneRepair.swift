/// Repairs what spreadsheets and exports do to phone numbers, before
/// libphonenumber sees them. Pure string work: no region, no metadata.
public struct RepairedPhone: Equatable, Sendable {
    /// The repaired text, as handed to libphonenumber.
    public var text: String
    /// `text` without the separators libphonenumber ignores anyway, for caching;
    /// equals `text` when it holds anything but digits, `+` and separators.
    public var key: String
    public var flags: Set<PhoneFlag>
    /// Further numbers found in the same cell, repaired the same way.
    public var extraNumbers: [String]
    /// An extension given as a URI parameter (`;ext=12`).
    public var uriExtension: String
    /// Set when the cell cannot hold a number at all.
    public var rejection: RejectReason?
    /// How the text opens when it is written the way national numbers are: the single
    /// digit before a separator or bracket (`8 (495) …`, `0 532 …`, `8-495…`: a trunk
    /// prefix when it is the region's), or `(` for a bracketed first group (`(324) 312-4513`).
    /// nil otherwise, and for text with `+`.
    public var nationalOpening: Character?

    public var hasPlus: Bool { text.utf8.first == UInt8(ascii: "+") }
}

public enum PhoneRepair {
    /// Longer cells are rejected `too_long` before any work: libphonenumber's regular
    /// expressions take quadratic time on long input (a 40k-digit cell took 42 s). Two
    /// numbers with extensions and a `tel:` prefix fit in far less.
    public static let maxCellBytes = 256

    /// `columnDigits`: the most significant digits a scientific cell of the same column
    /// carries (see `ScientificNotation`); 0 when unknown.
    public static func repair(_ raw: String, columnDigits: Int = 0) -> RepairedPhone {
        if raw.utf8.count > maxCellBytes {
            return RepairedPhone(
                text: "", key: "", flags: [], extraNumbers: [], uriExtension: "", rejection: .tooLong)
        }
        var flags = Set<PhoneFlag>()
        var text = foldCharacters(raw, flags: &flags)
        text = stripQuotes(text, flags: &flags)
        var uriExtension = ""
        text = stripURI(text, extension: &uriExtension, flags: &flags)
        // Scientific notation first: German Excel writes 4,47911123456E+11, whose comma
        // is a decimal separator, not a list of two numbers.
        let scientific = ScientificNotation.expand(text, columnDigits: columnDigits)
        var parts = scientific == .notScientific ? splitNumbers(text) : [text]
        if parts.count > 1 { flags.insert(.multipleNumbers) }
        text = parts.isEmpty ? "" : parts.removeFirst()
        var result = RepairedPhone(
            text: text, key: text, flags: flags, extraNumbers: parts, uriExtension: uriExtension, rejection: nil)
        if text.isEmpty {
            result.rejection = .empty
            return result
        }
        switch scientific {
        case .notScientific: break
        case .exact(let digits):
            result.text = digits
            result.flags.insert(.scientificNotation)
        case .exactWithZeros(let digits):
            result.text = digits
            result.flags.formUnion([.scientificNotation, .scientificZeros])
        case .lossy:
            result.rejection = .lossyScientificNotation
            return result
        case .notInteger:
            result.rejection = .notANumber
            return result
        }
        result.text = fixInternationalPrefix(result.text, flags: &result.flags)
        if !result.text.utf8.contains(where: { $0 >= 48 && $0 <= 57 }) {
            result.rejection = .notANumber
        }
        result.key = cacheKey(result.text)
        if !result.hasPlus, !result.flags.contains(.scientificNotation) {
            result.nationalOpening = nationalOpening(result.text)
        }
        return result
    }

    /// `(` when the text opens with a bracketed group, the digit when it opens with one
    /// digit and then a separator or bracket (`8 (495)`, `0-532`, `8 495.67`); else nil.
    static func nationalOpening(_ text: String) -> Character? {
        var bytes = text.utf8.makeIterator()
        guard let first = bytes.next() else { return nil }
        if first == UInt8(ascii: "(") { return "(" }
        guard first >= 48, first <= 57, let second = bytes.next() else { return nil }
        switch second {
        case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("):
            return Character(Unicode.Scalar(first))
        default: return nil
        }
    }

    // MARK: - Characters

    /// Unicode spaces and format marks become ASCII spaces; any decimal digit
    /// becomes its ASCII digit; fullwidth plus and dashes become ASCII.
    static func foldCharacters(_ raw: String, flags: inout Set<PhoneFlag>) -> String {
        if raw.utf8.allSatisfy({ $0 < 0x80 }) {
            return trimmed(raw)
        }
        var out = String.UnicodeScalarView()
        for scalar in raw.unicodeScalars {
            if scalar.isASCII {
                out.append(scalar)
            } else if scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue {
                out.append(Unicode.Scalar(UInt8(48 + Int(value))))
                flags.insert(.unicodeDigits)
            } else if scalar.properties.isWhitespace || scalar.properties.generalCategory == .format {
                out.append(" ")
                flags.insert(.unicodeSpace)
            } else if scalar == "\u{FF0B}" {
                out.append("+")
            } else if scalar.properties.generalCategory == .dashPunctuation {
                out.append("-")
            } else {
                out.append(scalar)
            }
        }
        return trimmed(String(out))
    }

    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 })!
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return text }
        return String(text[first...last])
    }

    // MARK: - Quotes, formulas, URIs

    static func stripQuotes(_ text: String, flags: inout Set<PhoneFlag>) -> String {
        guard let first = text.utf8.first, first == 61 || first == 39 || first == 34 || first == 96 || first >= 0x80 else {
            return text
        }
        var text = text
        if text.hasPrefix("=\"") && text.hasSuffix("\"") && text.count >= 3 {
            text = String(text.dropFirst(2).dropLast())
            flags.insert(.excelFormula)
        }
        let quotes: Set<Character> = ["'", "\u{2019}", "\u{2018}", "`", "\""]
        if let first = text.first, quotes.contains(first) {
            text = String(text.drop(while: { quotes.contains($0) }))
            if let last = text.last, quotes.contains(last) { text = String(text.dropLast()) }
            flags.insert(.apostrophe)
        }
        return trimmed(text)
    }

    static func stripURI(_ text: String, extension ext: inout String, flags: inout Set<PhoneFlag>) -> String {
        guard let first = text.utf8.first, first | 0x20 >= 97 && first | 0x20 <= 122 else { return text }
        let lower = text.lowercased()
        let schemes = ["tel://", "tel:", "sms://", "sms:", "callto:", "whatsapp:", "viber:"]
        guard let scheme = schemes.first(where: { lower.hasPrefix($0) }) else { return text }
        flags.insert(.telURI)
        var body = String(text.dropFirst(scheme.count))
        if let semicolon = body.firstIndex(of: ";") {
            let params = body[body.index(after: semicolon)...].split(separator: ";")
            for param in params where param.lowercased().hasPrefix("ext=") {
                ext = String(param.dropFirst(4))
            }
            body = String(body[..<semicolon])
        }
        if let query = body.firstIndex(of: "?") { body = String(body[..<query]) }
        return trimmed(body.removingPercentEncodingLite())
    }

    // MARK: - Several numbers in one cell

    /// Splits on list separators, and on `/` only when both sides look like whole numbers
    /// (German exports write `0151/2345678` for one number).
    static func splitNumbers(_ text: String) -> [String] {
        // Fast path: no list punctuation and no letters means one number.
        if !text.utf8.contains(where: { byte in
            byte == 44 || byte == 59 || byte == 124 || byte == 10 || byte == 47 || byte == 38
                || (byte | 0x20 >= 97 && byte | 0x20 <= 122)
        }) {
            return text.isEmpty ? [] : [text]
        }
        var pieces = [text]
        for separator in [",", ";", "|", "\n", " / ", " or ", " oder ", " ou ", " o ", " & ", " and ", " und "] {
            pieces = pieces.flatMap { piece -> [String] in
                piece.contains(separator)
                    ? piece.split(separator: separator, omittingEmptySubsequences: false).map(String.init) : [piece]
            }
        }
        pieces = pieces.flatMap { piece -> [String] in
            let halves = piece.split(separator: "/", omittingEmptySubsequences: false)
            guard halves.count > 1, halves.allSatisfy({ digitCount($0) >= 7 }) else { return [piece] }
            return halves.map(String.init)
        }
        return pieces.map(trimmed).filter { !$0.isEmpty }
    }

    static func digitCount<S: StringProtocol>(_ text: S) -> Int {
        text.utf8.reduce(0) { $0 + (($1 >= 48 && $1 <= 57) ? 1 : 0) }
    }

    // MARK: - International prefixes

    /// `00` before a country code becomes `+`; `(0)` inside an international number goes.
    static func fixInternationalPrefix(_ text: String, flags: inout Set<PhoneFlag>) -> String {
        var text = text
        var bytes = text.utf8.makeIterator()
        if text.utf8.count > 3, bytes.next() == 48, bytes.next() == 48, let third = bytes.next(), third >= 49, third <= 57 {
            text = "+" + text.dropFirst(2)
            flags.insert(.iddPrefix)
        }
        if text.utf8.first == UInt8(ascii: "+"), text.utf8.contains(where: { $0 == 40 || $0 == 91 }) {
            for form in ["(0)", "( 0 )", "[0]"] where text.contains(form) {
                text = text.replacing(form, with: " ")
                flags.insert(.trunkZero)
            }
        }
        return text
    }

    /// Drops spaces, dashes, dots, slashes and brackets when the text holds nothing
    /// else but digits and one leading `+`: libphonenumber ignores them, so equal keys
    /// parse alike and the parse can be cached.
    static func cacheKey(_ text: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case 48...57: out.append(byte)
            case UInt8(ascii: "+") where index == 0: out.append(byte)
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"),
                UInt8(ascii: "("), UInt8(ascii: ")"):
                continue
            default: return text
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// `%2B` → `+` and similar, for tel: URIs; leaves malformed escapes alone.
    func removingPercentEncodingLite() -> String {
        guard contains("%") else { return self }
        var out = [UInt8]()
        var bytes = Array(utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "%"), bytes.count >= 2,
                let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16)
            {
                out.append(value)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
