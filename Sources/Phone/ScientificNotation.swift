/// Excel shows long numbers as `4.91512345678E+11`. When the mantissa holds every
/// digit the number is exact and can be repaired; when Excel rounded digits away
/// the number is lost and must be rejected, never guessed.
enum ScientificNotation: Equatable {
    case notScientific
    case exact(String)
    case lossy
    case notInteger

    static func expand(_ text: String) -> ScientificNotation {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        guard let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) else {
            return .notScientific
        }
        let mantissa = bytes[..<e]
        var exponentBytes = bytes[(e + 1)...]
        if exponentBytes.first == UInt8(ascii: "+") { exponentBytes = exponentBytes.dropFirst() }
        guard !exponentBytes.isEmpty, exponentBytes.allSatisfy(isDigit),
            let exponent = Int(String(decoding: exponentBytes, as: UTF8.self)), exponent < 30
        else { return .notScientific }
        let separator = mantissa.firstIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") })
        let whole = separator.map { mantissa[..<$0] } ?? mantissa
        let fraction = separator.map { mantissa[($0 + 1)...] } ?? []
        guard whole.count >= 1, whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit) else {
            return .notScientific
        }
        if fraction.count > exponent { return .notInteger }
        // Digits after the mantissa would be zeros Excel invented.
        if fraction.count < exponent { return .lossy }
        let digits = String(decoding: whole + fraction, as: UTF8.self)
        return .exact(digits)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
