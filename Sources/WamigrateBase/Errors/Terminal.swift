/// Text that reaches a terminal (errors, trace, status) comes partly from input cells;
/// an ESC or OSC sequence in a cell must not drive the user's terminal.
public enum Terminal {
    /// Drops C0 controls but tab and newline, DEL, C1 controls and the bidi overrides
    /// that can reorder what is shown.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !isControl(scalar) { out.append(scalar) }
        return String(out)
    }

    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The same text with every control, bidi override and zero-width character shown as
    /// `<U+200B>`: for messages that quote a template's text, where a hidden character is
    /// the very thing the reader must see.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) || isInvisible($0) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if (isControl(scalar) && scalar.value != 0x0A) || isInvisible(scalar) {
                out += "<U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(4, with: "0") + ">"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Zero-width spaces and joiners, the word joiner, the byte-order mark and the
    /// left-to-right / right-to-left marks.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200F, 0x2060...0x2064, 0xFEFF: true
        default: false
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int, with pad: Character) -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
