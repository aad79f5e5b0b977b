/// An endpoint that answers `valid` for nearly every number, fixed lines
/// included, tells nothing (the contacts node does this from v2.43). Fires when
/// at least `minimumSample` answers include a number libphonenumber types as
/// fixed-line and at least 99% of them are `valid`.
struct DiscriminationCheck {
    static let minimumSample = 20
    static let threshold = 0.99

    var answered = 0
    var valid = 0
    var fixedLine = 0
    var fixedLineValid = 0

    mutating func add(answer: String, numberType: String?) {
        answered += 1
        let isValid = answer == "valid"
        if isValid { valid += 1 }
        if numberType == "fixed_line" {
            fixedLine += 1
            if isValid { fixedLineValid += 1 }
        }
    }

    var fires: Bool {
        answered >= Self.minimumSample && fixedLine > 0 && Double(valid) >= Self.threshold * Double(answered)
    }

    var warning: String {
        let share = answered > 0 ? Double(valid) / Double(answered) * 100 : 0
        return "the endpoint answered 'valid' for \(valid) of \(answered) numbers (\(String(format: "%.1f", share))%), "
            + "including \(fixedLineValid) of \(fixedLine) fixed-line numbers: it is not discriminating "
            + "(the contacts node answers 'valid' for everything from v2.43). Its answers are recorded as unknown; "
            + "use the delivery-report verifier, or --trust-endpoint if you know better"
    }
}
