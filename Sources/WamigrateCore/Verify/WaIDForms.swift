/// The other written forms of a WhatsApp id for the same subscriber:
/// Brazilian mobiles with and without the ninth digit, Mexican numbers with and
/// without the old mobile `1` after +52.
enum WaIDForms {
    static func alternatives(_ digits: String) -> [String] {
        let d = Array(digits)
        var forms: [String] = []
        if d.count == 12, digits.hasPrefix("55"), "6789".contains(d[4]) {
            forms.append(String(d[0..<4]) + "9" + String(d[4...]))
        }
        if d.count == 13, digits.hasPrefix("55"), d[4] == "9" {
            forms.append(String(d[0..<4]) + String(d[5...]))
        }
        if d.count == 13, digits.hasPrefix("521") { forms.append("52" + String(d[3...])) }
        if d.count == 12, digits.hasPrefix("52") { forms.append("521" + String(d[2...])) }
        return forms
    }
}
