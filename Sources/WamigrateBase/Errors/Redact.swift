/// Keeps phone numbers out of messages: a header line that is really a data row
/// (a headerless export) must not leak the number into an error.
public enum Redact {
    /// Replaces every run of 4 or more digits with `#` marks of the same length.
    public static func digits(_ text: String) -> String {
        var out = ""
        var run = ""
        func flush() {
            out += run.count >= 4 ? String(repeating: "#", count: run.count) : run
            run = ""
        }
        for character in text {
            if character.isNumber {
                run.append(character)
            } else {
                flush()
                out.append(character)
            }
        }
        flush()
        return out
    }
}
