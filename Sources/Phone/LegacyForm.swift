/// Forms of numbers that current numbering plans withdrew but that still name a number
/// today. libphonenumber on current metadata calls them invalid; each is rewritten to
/// today's number here, explicitly, and flagged on the row. Applied only when the number
/// as written has no valid reading, so a number today's plans accept is never touched.
///
/// - Mexico (2019–2020): the `1` after `+52` for mobiles and the national prefixes
///   `044`, `045` (mobile) and `01` (long distance) were dropped; every number is
///   `+52` and 10 digits.
/// - Benin (2024): 8-digit numbers became 10 digits with `01` in front.
/// - Uzbekistan: trunk prefix `8` dropped (national numbers are the 9 digits alone).
///
/// Lithuania's trunk prefix changed from `8` to `0` too, but current plans still read a
/// leading `8` as the trunk prefix, so `8 612 34567` needs no rewrite.
public struct LegacyForm: Equatable, Sendable {
    /// The text to parse instead, and the region to parse it in ("ZZ" when it has `+`).
    public var text: String
    public var region: String
    public var flag: PhoneFlag

    /// The rewrite for `digits` (ASCII digits only, no `+`), written with `+` when
    /// `international`, else in `region`; nil when no legacy rule applies.
    public static func rewrite(digits: String, international: Bool, region: String?) -> LegacyForm? {
        let count = digits.utf8.count
        func plus(_ national: Substring, code: String, _ flag: PhoneFlag) -> LegacyForm {
            LegacyForm(text: "+" + code + national, region: "ZZ", flag: flag)
        }
        if international {
            if count == 13, digits.hasPrefix("521") { return plus(digits.dropFirst(3), code: "52", .legacyMXMobileOne) }
            if count == 11, digits.hasPrefix("229") {
                return plus("01" + digits.dropFirst(3), code: "229", .legacyBJEightDigits)
            }
            return nil
        }
        switch region {
        case "MX":
            if count == 13, digits.hasPrefix("044") || digits.hasPrefix("045") {
                return plus(digits.dropFirst(3), code: "52", .legacyMXPrefix)
            }
            if count == 12, digits.hasPrefix("01") { return plus(digits.dropFirst(2), code: "52", .legacyMXPrefix) }
            if count == 11, digits.hasPrefix("1") { return plus(digits.dropFirst(1), code: "52", .legacyMXMobileOne) }
        case "BJ":
            if count == 8 { return plus("01" + digits[...], code: "229", .legacyBJEightDigits) }
        case "UZ":
            if count == 10, digits.hasPrefix("8") { return plus(digits.dropFirst(1), code: "998", .legacyUZTrunkEight) }
        default: break
        }
        return nil
    }
}
