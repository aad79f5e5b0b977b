import Testing

@testable import Phone

/// Digits written without `+`, one case per class of wrong number seen on messy exports.
/// Every expected number is known by construction (country code + a national number
/// from the country's plan), not taken from libphonenumber. On the code before
/// `phone_format` and `ReadingChoice`, every case below gave another person's number.
struct ReadingCase: CustomTestStringConvertible, Sendable {
    var what: String
    var raw: String
    var region: RegionHint?
    var format: PhoneFormat
    var e164: String
    var flags: Set<PhoneFlag>

    var testDescription: String { what }
}

let readingCases: [ReadingCase] = [
    // 1. International digits without + as Viber writes them, in the row's region.
    ReadingCase(
        what: "Viber: DE mobile as international digits in a DE row", raw: "4915112345678", region: RegionHint("DE", .row),
        format: .international, e164: "+4915112345678", flags: [.missingPlus]),
    ReadingCase(
        what: "Viber: UA mobile in a DE-default source", raw: "380501234567", region: RegionHint("DE", .guess),
        format: .international, e164: "+380501234567", flags: [.missingPlus]),
    ReadingCase(
        what: "mixed: UA mobile in a DE row (the DE reading is invalid)", raw: "380501234567",
        region: RegionHint("DE", .row), format: .mixed, e164: "+380501234567", flags: [.missingPlus]),
    // 2. The region's own country code, no + and no trunk 0.
    ReadingCase(
        what: "mixed: own country code in a DE row", raw: "491701234567", region: RegionHint("DE", .row), format: .mixed,
        e164: "+491701234567", flags: [.missingPlus, .ambiguousInternational]),
    ReadingCase(
        what: "mixed: own country code, DE mobile", raw: "4915112345678", region: RegionHint("DE", .source), format: .mixed,
        e164: "+4915112345678", flags: [.missingPlus, .ambiguousInternational]),
    // 3. A foreign country code and no country column: the default region is a guess.
    ReadingCase(
        what: "mixed: London fixed line, default DE is a guess", raw: "442071234567", region: RegionHint("DE", .guess),
        format: .mixed, e164: "+442071234567", flags: [.missingPlus, .ambiguousInternational]),
    // 4. Exact scientific notation, then the same reading rules.
    ReadingCase(
        what: "exact scientific notation of DE international digits", raw: "4.915220922871E+12",
        region: RegionHint("DE", .guess), format: .mixed, e164: "+4915220922871",
        flags: [.scientificNotation, .missingPlus, .ambiguousInternational]),
    ReadingCase(
        what: "Viber: exact scientific notation", raw: "4.915220922871E+12", region: RegionHint("DE", .row),
        format: .international, e164: "+4915220922871", flags: [.scientificNotation, .missingPlus]),
    // The national reading stands where the evidence says so.
    ReadingCase(
        what: "mixed: an IT mobile beats a BE premium-rate reading", raw: "3290002862", region: RegionHint("IT", .row),
        format: .mixed, e164: "+393290002862", flags: [.ambiguousNational]),
    ReadingCase(
        what: "Viber: a national number with trunk 0 falls back, flagged", raw: "015112345678",
        region: RegionHint("DE", .row), format: .international, e164: "+4915112345678", flags: [.nationalFallback]),
    ReadingCase(
        what: "national source: a DE national number", raw: "015112345678", region: RegionHint("DE", .guess),
        format: .national, e164: "+4915112345678", flags: []),
    // Choices that stand but are flagged for an auditor.
    // The row's own country is evidence a "mobile" reading elsewhere does not overrule.
    ReadingCase(
        what: "Viber: an IT mobile in an IT row, not a BE number because the source writes international digits",
        raw: "3292898505", region: RegionHint("IT", .row), format: .international, e164: "+393292898505",
        flags: [.ambiguousNational]),
    ReadingCase(
        what: "Viber: fullwidth IT mobile in an IT row is not a Budapest fixed line", raw: "３６１.１３３０.２８２",
        region: RegionHint("IT", .row), format: .international, e164: "+393611330282",
        flags: [.unicodeDigits, .ambiguousNational]),
    ReadingCase(
        what: "RU: trunk 8 and a separated area code, not a VN mobile", raw: "8-495 077 3034", region: RegionHint("RU", .row),
        format: .mixed, e164: "+74950773034", flags: [.nationalWriting]),
    ReadingCase(
        what: "RU: trunk 8 and a bracketed area code", raw: "8 (499) 397 28 62", region: RegionHint("RU", .row),
        format: .mixed, e164: "+74993972862", flags: [.nationalWriting]),
    ReadingCase(
        what: "RU: trunk 8, dotted groups", raw: "8 495.6747.596", region: RegionHint("RU", .row), format: .mixed,
        e164: "+74956747596", flags: [.nationalWriting]),
    ReadingCase(
        what: "RU: trunk 8 without punctuation stays Russian in an RU row (flagged)", raw: "84950773034",
        region: RegionHint("RU", .row), format: .mixed, e164: "+74950773034", flags: [.ambiguousNational]),
    ReadingCase(
        what: "Viber: a Moscow number with trunk 8 in an RU row, not a VN mobile", raw: "84951018076",
        region: RegionHint("RU", .row), format: .international, e164: "+74951018076", flags: [.ambiguousNational]),
    ReadingCase(
        what: "Viber: an MX number from a range opened after 2022, not a Gambian mobile", raw: "2209033430",
        region: RegionHint("MX", .row), format: .international, e164: "+522209033430", flags: [.ambiguousNational]),
    ReadingCase(
        what: "KZ: trunk 8 and a bracketed area code", raw: "8 (727) 250 12 34", region: RegionHint("KZ", .row),
        format: .mixed, e164: "+77272501234", flags: [.nationalWriting]),
    ReadingCase(
        what: "UA: trunk 0 and a bracketed operator code", raw: "0 (67) 123 45 67", region: RegionHint("UA", .row),
        format: .mixed, e164: "+380671234567", flags: [.nationalWriting]),
    ReadingCase(
        what: "TR: trunk 0 and a separated mobile code from a range opened after 2022", raw: "0 500 123 45 67",
        region: RegionHint("TR", .row), format: .mixed, e164: "+905001234567", flags: [.nationalWriting]),
    ReadingCase(
        what: "US: a bracketed area code opened after 2022 is not a Belgian number", raw: "(324) 312-4513",
        region: RegionHint("US", .row), format: .mixed, e164: "+13243124513", flags: [.nationalWriting]),
    ReadingCase(
        what: "IT: a mobile range opened after 2022 is not an Austrian number", raw: "436 858 1779",
        region: RegionHint("IT", .row), format: .mixed, e164: "+394368581779", flags: [.ambiguousNational]),
    ReadingCase(
        what: "mixed, guessed region: digits shaped like an unassigned GB mobile range stay DE fixed line, flagged",
        raw: "447700671240", region: RegionHint("DE", .guess), format: .mixed, e164: "+49447700671240",
        flags: [.ambiguousNational]),
    ReadingCase(
        what: "TR mobile with trunk 0 in a TR row", raw: "0531 332 2249", region: RegionHint("TR", .row), format: .mixed,
        e164: "+905313322249", flags: []),
]

@Suite("Readings of digits without +")
struct ReadingChoiceTests {
    @Test(arguments: readingCases)
    func picksTheNumberTheRowHolds(_ item: ReadingCase) {
        let result = PhoneNormalizer().normalize(item.raw, region: item.region, format: item.format)
        #expect(result.e164 == item.e164)
        #expect(result.flags == item.flags)
    }

    @Test("the cached answer and the reference path agree", arguments: readingCases)
    func cacheAndReferenceAgree(_ item: ReadingCase) {
        let fast = PhoneNormalizer()
        _ = fast.normalize(item.raw, region: item.region, format: item.format)
        let cached = fast.normalize(item.raw, region: item.region, format: item.format)
        let reference = PhoneNormalizer(reference: true).normalize(item.raw, region: item.region, format: item.format)
        #expect(cached == fast.normalize(item.raw, region: item.region, format: item.format))
        #expect(cached.e164 == reference.e164 && cached.flags == reference.flags)
    }

    @Test("a national source keeps a valid national reading: the override for a source known to be national")
    func nationalFormatIsTheOverride() {
        let result = PhoneNormalizer().normalize("4915112345678", region: RegionHint("DE", .row), format: .national)
        #expect(result.e164 == "+494915112345678")
        #expect(result.flags.isEmpty)
    }

    @Test(
        "the rules in order",
        arguments: [
            // own country code wins even against the type rule and a strong region
            (
                "4930123456", PhoneNumberType.mobile, PhoneNumberType.fixedLine, RegionEvidence.row, PhoneFormat.mixed, "DE",
                ReadingChoice.Reading.international
            ),
            // the row's own country stands against a "more mobile" reading elsewhere
            ("3930123456", .mobile, .fixedLine, .row, .mixed, "IT", .national),
            ("3930123456", .fixedLine, .mobile, .row, .mixed, "IT", .national),
            ("3930123456", .fixedLineOrMobile, .fixedLine, .row, .mixed, "IT", .national),
            // ... unless the source writes international digits, that reading is a mobile and the
            // national one cannot be: review
            ("3930123456", .fixedLine, .mobile, .row, .international, "IT", .review(.countryConflict)),
            ("3930123456", .fixedLineOrMobile, .mobile, .row, .international, "IT", .national),
            ("3930123456", .mobile, .fixedLine, .row, .international, "IT", .national),
            ("3930123456", .mobile, .mobile, .row, .international, "IT", .national),
            // the region's trunk prefix in front of the digits is national writing, separators or not
            ("0930123456", .fixedLine, .mobile, .row, .international, "IT", .national),
            // a default region: mobile beats fixed line, then a guess yields to the international reading
            ("3930123456", .fixedLine, .mobile, .source, .mixed, "IT", .international),
            ("3930123456", .fixedLine, .fixedLine, .guess, .mixed, "IT", .international),
            ("3930123456", .fixedLine, .fixedLine, .source, .mixed, "IT", .national),
        ] as [(String, PhoneNumberType, PhoneNumberType, RegionEvidence, PhoneFormat, String, ReadingChoice.Reading)])
    func rulesInOrder(
        _ digits: String, _ national: PhoneNumberType, _ international: PhoneNumberType,
        _ evidence: RegionEvidence, _ format: PhoneFormat, _ internationalRegion: String, _ expected: ReadingChoice.Reading
    ) {
        let de = ReadingChoice.RegionFacts(countryCode: "49", trunkPrefix: "0")
        #expect(
            ReadingChoice.choose(
                digits: digits, national: national, international: international, internationalRegion: internationalRegion,
                region: RegionHint("DE", evidence), format: format, facts: de) == expected)
    }

    @Test("evidence that truly conflicts goes to review with both numbers, never a guess")
    func conflictGoesToReview() {
        // Viber writes international digits: +62 812… is an Indonesian mobile; the row says DE,
        // where the same digits are a valid fixed-line number.
        let result = PhoneNormalizer().normalize("6281234567890", region: RegionHint("DE", .row), format: .international)
        #expect(result.e164 == nil)
        #expect(result.rejection == nil)
        #expect(result.review == .countryConflict)
        #expect(result.candidates == ["+496281234567890", "+6281234567890"])
    }

    @Test("NANP: the trunk prefix is the country code, so it is no evidence")
    func nanpIsExempt() {
        let us = ReadingChoice.RegionFacts(region: "US")
        #expect(us == ReadingChoice.RegionFacts(countryCode: "1", trunkPrefix: "1"))
        #expect(ReadingChoice.RegionFacts(region: "IT").trunkPrefix == "")
        #expect(
            ReadingChoice.choose(
                digits: "14155552671", national: .fixedLine, international: .fixedLine, internationalRegion: "US",
                region: RegionHint("US", .row), format: .mixed, facts: us) == .national)
        #expect(!us.isNationalWriting("1"))
        #expect(us.isNationalWriting("("))
        #expect(ReadingChoice.RegionFacts(region: "RU").isNationalWriting("8"))
        #expect(!ReadingChoice.RegionFacts(region: "RU").isNationalWriting("7"))
    }
}

@Suite("Bounded work per cell")
struct CellLengthTests {
    @Test("a 100k-digit cell is rejected too_long without reaching libphonenumber", arguments: [257, 5_000, 100_000])
    func longCellsNeverReachTheLibrary(_ digits: Int) {
        let normalizer = PhoneNormalizer()
        let result = normalizer.normalize(String(repeating: "4", count: digits), region: RegionHint("DE", .row), format: .mixed)
        #expect(result.rejection == .tooLong)
        #expect(normalizer.libraryCalls == 0)
    }

    @Test func the256ByteLimitStillTakesTwoNumbersAndAnExtension() {
        let cell = "tel:+4915123456789;ext=12 / +491701234567 oder 030 1234567" + String(repeating: " ", count: 150)
        #expect(cell.utf8.count <= PhoneRepair.maxCellBytes)
        #expect(PhoneNormalizer().normalize(cell, region: "DE").e164 == "+4915123456789")
    }
}
