/// Who is on WhatsApp, and under which `wa_id`, with the quirks real answers have:
/// - Brazil: a mobile registered before the ninth digit keeps the old 8-digit
///   form as its `wa_id` (+55 11 9xxxx-xxxx answers 55 11 xxxx-xxxx), for about
///   half of the Brazilian mobiles; both forms of the number reach the same user.
/// - Mexico: every mobile's `wa_id` carries the old mobile `1` (+52 55… answers 52 1 55…).
struct RegistrationBook: Sendable {
    var registered: Set<String>?
    var rate: Double
    var seed: UInt64
    var allValid: Bool
    var aliases: [String: String] = [:]

    enum Answer: Equatable {
        case valid(waID: String)
        case invalid
    }

    func answer(digits: String) -> Answer {
        guard (8...15).contains(digits.count) else { return .invalid }
        if allValid { return .valid(waID: digits) }
        let canonical = Self.canonical(digits)
        if let alias = aliases[canonical] { return .valid(waID: alias) }
        let isRegistered = registered.map { $0.contains(canonical) } ?? (Mix.unit(seed, canonical) < rate)
        guard isRegistered else { return .invalid }
        return .valid(waID: waID(canonical))
    }

    /// One form per subscriber: Brazilian mobiles with the ninth digit, Mexican numbers without the `1`.
    static func canonical(_ digits: String) -> String {
        let d = Array(digits)
        if d.count == 12, digits.hasPrefix("55"), "6789".contains(d[4]) {
            return String(d[0..<4]) + "9" + String(d[4...])
        }
        if d.count == 13, digits.hasPrefix("521") { return "52" + String(d[3...]) }
        return digits
    }

    private func waID(_ canonical: String) -> String {
        let d = Array(canonical)
        if d.count == 13, canonical.hasPrefix("55"), d[4] == "9", Mix.unit(seed &+ 1, canonical) < 0.5 {
            return String(d[0..<4]) + String(d[5...])
        }
        if d.count == 12, canonical.hasPrefix("52") { return "521" + String(d[2...]) }
        return canonical
    }
}
