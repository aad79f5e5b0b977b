/// The encodings extract reads. Anything else is refused with a clear error.
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case windows1252 = "windows-1252"

    /// Windows-1252 bytes 0x80–0x9F; the five undefined ones are nil.
    public static let windows1252High: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    /// Decodes one field's bytes. UTF-16 input is transcoded to UTF-8 before parsing,
    /// so only the single-byte cases reach here.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch self {
        case .windows1252:
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            var scalars = String.UnicodeScalarView()
            for byte in bytes {
                if byte >= 0x80 && byte <= 0x9F {
                    scalars.append(Self.windows1252High[Int(byte - 0x80)] ?? "\u{FFFD}")
                } else {
                    scalars.append(Unicode.Scalar(byte))
                }
            }
            return String(scalars)
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
