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
        what: "Viber: ID mobile in a row whose country says DE (flagged)", raw: "6281234567890",
        region: RegionHint("DE", .row), format: .international, e164: "+6281234567890",
        flags: [.missingPlus, .ambiguousInternational]),
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
    ReadingCase(
        what: "Viber: international digits whose country differs from the row's, national reading valid too",
        raw: "3292898505", region: RegionHint("IT", .row), format: .international, e164: "+3292898505",
        flags: [.missingPlus, .ambiguousInternational]),
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
                "4930123456", PhoneNumberType.mobile, PhoneNumberType.fixedLine, RegionEvidence.row,
                ReadingChoice.Reading.international
            ),
            ("3930123456", .mobile, .fixedLine, .row, .national),
            ("3930123456", .fixedLine, .mobile, .row, .international),
            ("3930123456", .fixedLine, .fixedLine, .guess, .international),
            ("3930123456", .fixedLine, .fixedLine, .source, .national),
            ("3930123456", .fixedLineOrMobile, .fixedLine, .row, .national),
        ] as [(String, PhoneNumberType, PhoneNumberType, RegionEvidence, ReadingChoice.Reading)])
    func rulesInOrder(
        _ digits: String, _ national: PhoneNumberType, _ international: PhoneNumberType,
        _ evidence: RegionEvidence, _ expected: ReadingChoice.Reading
    ) {
        let de = ReadingChoice.RegionFacts(countryCode: "49", trunkPrefix: "0")
        #expect(
            ReadingChoice.choose(
                digits: digits, national: national, international: international,
                evidence: evidence, facts: de) == expected)
    }

    @Test("NANP: the trunk prefix is the country code, so it is no evidence")
    func nanpIsExempt() {
        let us = ReadingChoice.RegionFacts(region: "US")
        #expect(us == ReadingChoice.RegionFacts(countryCode: "1", trunkPrefix: "1"))
        #expect(ReadingChoice.RegionFacts(region: "IT").trunkPrefix == "")
        #expect(
            ReadingChoice.choose(
                digits: "14155552671", national: .fixedLine, international: .fixedLine,
                evidence: .row, facts: us) == .national)
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
