/// Text that is already written as E.164 (no parsing, no library): for lookups
/// and webhook senders, where a number arrives in international form.
public enum E164Text {
    /// `+` and 8 to 15 digits once spaces are removed; nil otherwise.
    public static func compact(_ text: String) -> String? {
        let compact = text.filter { !$0.isWhitespace }
        guard compact.first == "+", (9...16).contains(compact.count), compact.dropFirst().allSatisfy(\.isASCII),
            compact.dropFirst().allSatisfy(\.isNumber)
        else { return nil }
        return compact
    }
}
