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
}
