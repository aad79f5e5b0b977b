/// What was repaired or noticed in a phone cell on its way to E.164.
/// Stored as a comma-separated list of these raw values.
public enum PhoneFlag: String, CaseIterable, Sendable, Comparable {
    case apostrophe  // leading ' or quote that spreadsheets add
    case excelFormula = "excel_formula"  // ="0151..." written by Excel
    case telURI = "tel_uri"  // tel:, sms:, callto:, whatsapp: prefixes
    case unicodeSpace = "unicode_space"  // NBSP, narrow NBSP, zero-width and direction marks
    case unicodeDigits = "unicode_digits"  // Arabic-Indic, fullwidth and other decimal digits
    case iddPrefix = "idd_prefix"  // 00 written for +
    case trunkZero = "trunk_zero"  // (0) inside an international number
    case scientificNotation = "scientific_notation"  // Excel's 4.91512345678E+11, exact
    /// Scientific notation whose trailing zeros the writer dropped (`9.1115567515E+11`):
    /// read as exact because the column's other cells show the writer kept enough digits.
    case scientificZeros = "scientific_zeros"
    case multipleNumbers = "multiple_numbers"  // more than one number in the cell
    case missingPlus = "missing_plus"  // country code written without +
    /// Digits without + that are valid read nationally and internationally: the
    /// international reading was chosen (see `ReadingChoice`). For auditors to review.
    case ambiguousInternational = "ambiguous_international"
    /// The same ambiguity, resolved to the national reading.
    case ambiguousNational = "ambiguous_national"
    /// A source that writes international digits (Viber) held a number that is only
    /// valid read nationally.
    case nationalFallback = "national_fallback"
    /// The row's country cell names no known country: the region came from the
    /// source's or the job's default instead.
    case unknownCountry = "unknown_country"
    case phoneExtension = "extension"  // an extension was split off
    /// The text is written the way only national numbers are (a trunk prefix and a
    /// separated or bracketed area code, `8 (495) …`, or a bracketed first group):
    /// it was read in its region only, never as a country code.
    case nationalWriting = "national_writing"
    // Legacy forms current numbering plans withdrew, rewritten to today's number (`LegacyForm`).
    case legacyMXMobileOne = "legacy_mx_mobile_1"  // +52 1 55 1234 5678 → +52 55 1234 5678
    case legacyMXPrefix = "legacy_mx_prefix"  // 044 / 045 / 01 55 1234 5678 → +52 55 1234 5678
    case legacyBJEightDigits = "legacy_bj_8_digits"  // +229 97 12 34 56 → +229 01 97 12 34 56
    case legacyUZTrunkEight = "legacy_uz_trunk_8"  // 8 90 123 45 67 → +998 90 123 45 67

    public static func < (a: PhoneFlag, b: PhoneFlag) -> Bool { a.rawValue < b.rawValue }
}

/// Why a row's number is left for a person to confirm: two readings are valid and the
/// row's evidence points both ways. Such a row is neither kept nor guessed.
public enum ReviewReason: String, CaseIterable, Sendable, Codable {
    /// The source writes international digits, which read as a mobile number in another
    /// country, while the row's own country reads them as a number that is no mobile.
    case countryConflict = "country_conflict"

    public var hint: String {
        switch self {
        case .countryConflict:
            "the row's country and the source's international writing give two different numbers; confirm which one "
                + "and write it with + and its country code"
        }
    }
}

/// Why a phone cell could not become a usable E.164 number. One per rejected row.
public enum RejectReason: String, CaseIterable, Sendable, Codable {
    case empty
    case notANumber = "not_a_number"
    case tooShort = "too_short"
    case tooLong = "too_long"
    case invalidNumber = "invalid_number"
    case invalidCountryCode = "invalid_country_code"
    case missingRegion = "missing_region"
    case lossyScientificNotation = "lossy_scientific_notation"

    /// What a person can do about it; shown in rejected.csv and the summary.
    public var hint: String {
        switch self {
        case .empty: "the phone cell is empty; fill it or drop the row from the export"
        case .notANumber: "the cell holds no phone number; check the column mapping"
        case .tooShort: "too few digits for the region; the number may be truncated"
        case .tooLong: "too many digits for the region; two numbers may be run together"
        case .invalidNumber: "not a valid number for its region; check the country column or default region"
        case .invalidCountryCode: "the +country code does not exist"
        case .missingRegion: "no + and no region: set a country column, the profile's default_region or --default-region"
        case .lossyScientificNotation:
            "Excel turned the number into scientific notation and dropped digits; re-export the column as text"
        }
    }
}
