/// Excel shows long numbers as `4.91512345678E+11`. When the mantissa holds every
/// digit the number is exact and can be repaired; when Excel rounded digits away
/// the number is lost and must be rejected, never guessed.
///
/// A writer also drops trailing zeros (`9.1115567515E+11` is 911155675150). Such a
/// cell is read as exact only when its column shows that the writer keeps enough
/// significant digits: `columnDigits`, the most significant digits any scientific cell
/// of the same column carries (`significantDigits`, counted by extract). A column whose
/// cells never carry as many digits as the number has was rounded: lossy, rejected.
public enum ScientificNotation: Equatable, Sendable {
    case notScientific
    case exact(String)
    /// Exact once the trailing zeros the column's precision vouches for are restored.
    case exactWithZeros(String)
    case lossy
    case notInteger

    struct Parts {
        var whole: ArraySlice<UInt8>
        var fraction: ArraySlice<UInt8>
        var exponent: Int
    }

    static func parts(_ text: String) -> Parts? {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        guard let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) else {
            return nil
        }
        let mantissa = bytes[..<e]
        var exponentBytes = bytes[(e + 1)...]
        if exponentBytes.first == UInt8(ascii: "+") { exponentBytes = exponentBytes.dropFirst() }
        guard !exponentBytes.isEmpty, exponentBytes.count <= 2, exponentBytes.allSatisfy(isDigit),
            let exponent = Int(String(decoding: exponentBytes, as: UTF8.self)), exponent < 30
        else { return nil }
        let separator = mantissa.firstIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") })
        let whole = separator.map { mantissa[..<$0] } ?? mantissa
        let fraction = separator.map { mantissa[($0 + 1)...] } ?? []
        guard whole.count >= 1, whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit) else { return nil }
        return Parts(whole: whole, fraction: fraction, exponent: exponent)
    }

    /// Significant digits of a scientific cell's mantissa (`4.91635020723E+12`: 12);
    /// nil for a cell that is no scientific notation.
    public static func significantDigits(_ text: String) -> Int? {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }),
            let parts = parts(text.trimmingASCIISpaces)
        else { return nil }
        let digits = parts.whole + parts.fraction
        let leadingZeros = digits.prefix(while: { $0 == UInt8(ascii: "0") }).count
        return digits.count - leadingZeros
    }

    static func expand(_ text: String, columnDigits: Int = 0) -> ScientificNotation {
        guard let parts = parts(text) else { return .notScientific }
        if parts.fraction.count > parts.exponent { return .notInteger }
        let digits = String(decoding: parts.whole + parts.fraction, as: UTF8.self)
        if parts.fraction.count == parts.exponent { return .exact(digits) }
        // Digits after the mantissa: zeros the writer dropped, or digits it rounded away.
        let missing = parts.exponent - parts.fraction.count
        let total = parts.whole.count + parts.exponent
        guard columnDigits >= total else { return .lossy }
        return .exactWithZeros(digits + String(repeating: "0", count: missing))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}

extension String {
    var trimmingASCIISpaces: String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != 32 && $0 != 9 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 32 && $0 != 9 })!
        return String(self[first...last])
    }
}
