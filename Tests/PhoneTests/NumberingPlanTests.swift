import Testing

@testable import Phone

/// Numbers as they are today. Every expected E.164 is built by hand from the numbering
/// plan (country code + national significant number), never read back from the library.
/// On the code before the shipped metadata, every new-range case below was rejected as
/// `invalid_number` (or read as another country's number), and every legacy form was lost.
struct PlanCase: CustomTestStringConvertible, Sendable {
    var what: String
    var raw: String
    var region: String
    var e164: String
    var flags: Set<PhoneFlag> = []

    var testDescription: String { what }
}

/// Mobile ranges Debian's 2022 plans (libphonenumber 8.12.57) do not know
/// (`numbering-plans.md`): one per affected market, in national form with the row's country.
let newRangeCases: [PlanCase] = [
    PlanCase(what: "TR 500", raw: "0500 123 45 67", region: "TR", e164: "+905001234567"),
    PlanCase(what: "TR 556", raw: "0556 765 43 21", region: "TR", e164: "+905567654321"),
    PlanCase(what: "NG 71", raw: "0710 123 4567", region: "NG", e164: "+2347101234567"),
    PlanCase(what: "NG 914", raw: "0914 555 0199", region: "NG", e164: "+2349145550199"),
    // Also a valid Austrian number read with +43: the row's country decides, flagged.
    PlanCase(what: "IT 43", raw: "431 234 5678", region: "IT", e164: "+394312345678", flags: [.ambiguousNational]),
    PlanCase(what: "AE 53", raw: "053 123 4567", region: "AE", e164: "+971531234567"),
    PlanCase(what: "KE 18", raw: "0181 234 567", region: "KE", e164: "+254181234567"),
    PlanCase(what: "KE 140", raw: "0140 123 456", region: "KE", e164: "+254140123456"),
    PlanCase(what: "US 324", raw: "(324) 312-4513", region: "US", e164: "+13243124513", flags: [.nationalWriting]),
]

/// One range per market that current plans added since 8.12.57 (from the 9.0.43 plans
/// against 8.12.57's, every subscriber number of the prefix checked both ways): the region,
/// its calling code and trunk prefix, and a national significant number in the range.
/// nil trunk: no simple national form to write (Argentina's mobiles take `15`).
let rangeTable: [(region: String, code: String, trunk: String?, nsn: String)] = [
    ("NG", "234", "0", "7201234567"), ("NG", "234", "0", "9101234567"), ("TR", "90", "0", "5621234567"),
    ("KE", "254", "0", "107123456"), ("KE", "254", "0", "116123456"), ("PK", "92", "0", "3701234567"),
    ("PK", "92", "0", "3391234567"), ("AE", "971", "0", "531234567"), ("UA", "380", "0", "751234567"),
    ("UA", "380", "0", "771234567"), ("IT", "39", "", "4361234567"), ("BD", "880", "0", "6401234567"),
    ("US", "1", "1", "3242345678"), ("US", "1", "1", "6455123456"), ("AR", "54", nil, "91101234567"),
    ("ZA", "27", "0", "751234567"), ("ZA", "27", "0", "501234567"), ("VN", "84", "0", "511234567"),
    ("VN", "84", "0", "140123456"), ("SA", "966", "0", "574123456"),
    ("MX", "52", "", "2201234567"), ("MX", "52", "", "4501234567"), ("CO", "57", nil, "9408123456"),
    ("DE", "49", "0", "15310123456"), ("IN", "91", "0", "1601234567"), ("UZ", "998", "", "201234567"),
    ("BJ", "229", "", "0141234567"),
]

/// Forms current plans withdrew, mapped to today's number and flagged.
let legacyCases: [PlanCase] = [
    PlanCase(
        what: "MX +52 1 mobile form", raw: "+52 1 55 1234 5678", region: "MX", e164: "+525512345678",
        flags: [.legacyMXMobileOne]),
    PlanCase(
        what: "MX 52 1 as Viber-style digits", raw: "5215512345678", region: "MX", e164: "+525512345678",
        flags: [.legacyMXMobileOne]),
    PlanCase(what: "MX 044", raw: "044 55 1234 5678", region: "MX", e164: "+525512345678", flags: [.legacyMXPrefix]),
    PlanCase(what: "MX 045", raw: "045 33 1234 5678", region: "MX", e164: "+523312345678", flags: [.legacyMXPrefix]),
    PlanCase(what: "MX 01", raw: "01 55 1234 5678", region: "MX", e164: "+525512345678", flags: [.legacyMXPrefix]),
    PlanCase(
        what: "BJ 8 digits with +229", raw: "+229 97 12 34 56", region: "BJ", e164: "+2290197123456",
        flags: [.legacyBJEightDigits]),
    PlanCase(
        what: "BJ 8 digits, national", raw: "97 12 34 56", region: "BJ", e164: "+2290197123456",
        flags: [.legacyBJEightDigits]),
    PlanCase(
        what: "UZ trunk 8", raw: "8 90 123 45 67", region: "UZ", e164: "+998901234567", flags: [.legacyUZTrunkEight]),
]

@Suite("Numbering plans of today")
struct NumberingPlanTests {
    @Test("the shipped plans are in force")
    func selfCheckPasses() {
        let check = MetadataSelfCheck.run()
        #expect(check.inForce, "\(check.failures)")
        #expect(PhoneMetadata.shippedVersion.hasPrefix("9."))
        #expect(PhoneMetadata.metadataVersion.hasPrefix(PhoneMetadata.shippedVersion))
    }

    @Test("a number from a range opened since 2022, written nationally with the row's country", arguments: newRangeCases)
    func newRangeNational(_ item: PlanCase) {
        let result = PhoneNormalizer().normalize(item.raw, region: RegionHint(item.region, .row), format: .mixed)
        #expect(result.e164 == item.e164)
        #expect(result.rejection == nil)
        #expect(result.flags == item.flags)
    }

    @Test("the same number in E.164", arguments: newRangeCases)
    func newRangeE164(_ item: PlanCase) {
        let result = PhoneNormalizer().normalize(item.e164, region: RegionHint(item.region, .row), format: .mixed)
        #expect(result.e164 == item.e164)
        #expect(result.type == .mobile || result.type == .fixedLineOrMobile)
    }

    @Test("every market's range opened since 2022 is valid, in E.164 and written nationally in the row's country")
    func everyNewRange() {
        let normalizer = PhoneNormalizer()
        for item in rangeTable {
            let e164 = "+" + item.code + item.nsn
            let international = normalizer.normalize(e164, region: nil)
            #expect(international.e164 == e164, "\(item.region) \(e164): \(international.rejection?.rawValue ?? "")")
            #expect(international.region == item.region, "\(e164)")
            guard let trunk = item.trunk else { continue }
            let national = normalizer.normalize(trunk + item.nsn, region: RegionHint(item.region, .row), format: .mixed)
            #expect(national.e164 == e164, "\(item.region) national: \(national.rejection?.rawValue ?? "")")
        }
    }

    @Test("a legacy form maps to today's number, flagged", arguments: legacyCases)
    func legacyForm(_ item: PlanCase) {
        let fast = PhoneNormalizer()
        let result = fast.normalize(item.raw, region: RegionHint(item.region, .row), format: .mixed)
        #expect(result.e164 == item.e164)
        #expect(result.flags.isSuperset(of: item.flags))
        let reference = PhoneNormalizer(reference: true).normalize(
            item.raw, region: RegionHint(item.region, .row), format: .mixed)
        #expect(reference.e164 == item.e164)
    }

    @Test("a number today's plans accept is never rewritten as a legacy form")
    func legacyOnlyWhenInvalid() {
        // 8 digits in BJ that are no old mobile range stay rejected; a valid 10-digit one is kept.
        #expect(PhoneNormalizer().normalize("0197123456", region: "BJ").flags.isDisjoint(with: [.legacyBJEightDigits]))
        #expect(PhoneNormalizer().normalize("+52 55 1234 5678", region: nil).flags.isEmpty)
    }

    @Test(
        "scientific notation whose trailing zeros were dropped is exact when the column keeps enough digits",
        arguments: [
            ("9.1115567515E+11", 13, "+911155675150"),
            ("4.91635020723E+12", 13, "+4916350207230"),
            ("4.91635020723E+12", 12, nil),
            ("9.1115567515E+11", 11, nil),
            ("9.1115567515E+11", 0, nil),
        ] as [(String, Int, String?)])
    func scientificZeros(_ raw: String, _ columnDigits: Int, _ e164: String?) {
        let result = PhoneNormalizer().normalize(
            raw, region: RegionHint("DE", .guess), format: .mixed, columnDigits: columnDigits)
        #expect(result.e164 == e164)
        if e164 == nil {
            #expect(result.rejection == .lossyScientificNotation)
        } else {
            #expect(result.flags.isSuperset(of: [.scientificNotation, .scientificZeros]))
        }
    }

    @Test("a column's precision is the most significant digits its scientific cells carry")
    func significantDigits() {
        #expect(ScientificNotation.significantDigits("4.91635020723E+12") == 12)
        #expect(ScientificNotation.significantDigits(" 9,1115567515e+11 ") == 11)
        #expect(ScientificNotation.significantDigits("+49 151 2345") == nil)
        #expect(ScientificNotation.significantDigits("Eve") == nil)
    }
}
