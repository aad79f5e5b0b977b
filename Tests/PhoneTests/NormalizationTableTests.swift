import Testing

@testable import Phone

/// One row of the normalization table: a cell as exports write it, the region the
/// row would get, and what a user should see.
struct Case: CustomTestStringConvertible, Sendable {
    var raw: String
    var region: String?
    var e164: String?
    var reason: RejectReason?
    var flags: Set<PhoneFlag> = []
    var phoneExtension = ""
    var extra: [String] = []
    var type: PhoneNumberType?

    var testDescription: String { raw.debugDescription + " @" + (region ?? "none") }
}

let cases: [Case] = [
    // Plain forms
    Case(raw: "+49 151 23456789", region: "DE", e164: "+4915123456789", type: .mobile),
    Case(raw: "0151 23456789", region: "DE", e164: "+4915123456789", type: .mobile),
    Case(raw: "+49 30 12345678", region: nil, e164: "+493012345678", type: .fixedLine),
    Case(raw: "(415) 555-2671", region: "US", e164: "+14155552671", flags: [.nationalWriting], type: .fixedLineOrMobile),
    // Spreadsheet damage
    Case(raw: "'+491701234567", region: "DE", e164: "+491701234567", flags: [.apostrophe]),
    Case(raw: "’0151 23456789", region: "DE", e164: "+4915123456789", flags: [.apostrophe]),
    Case(raw: "=\"015123456789\"", region: "DE", e164: "+4915123456789", flags: [.excelFormula]),
    Case(raw: "4.47911123456E+11", region: "GB", e164: "+447911123456", flags: [.scientificNotation]),
    Case(raw: "4,47911123456E+11", region: "GB", e164: "+447911123456", flags: [.scientificNotation]),
    Case(raw: "4.4791112345E+11", region: "GB", reason: .lossyScientificNotation),
    Case(raw: "4.9151234568E+11", region: "DE", reason: .lossyScientificNotation),
    Case(raw: "1.5E+3", region: "DE", reason: .lossyScientificNotation),
    Case(raw: "1.2345E+2", region: "DE", reason: .notANumber),
    // URIs, Unicode spaces and digits
    Case(raw: "tel:+49-152-11122233", region: nil, e164: "+4915211122233", flags: [.telURI]),
    Case(
        raw: "tel:+4915123456789;ext=77", region: nil, e164: "+4915123456789", flags: [.telURI, .phoneExtension],
        phoneExtension: "77"),
    Case(raw: "whatsapp:+447911123456", region: nil, e164: "+447911123456", flags: [.telURI]),
    Case(raw: "+49\u{202F}151\u{202F}2345\u{202F}6789", region: nil, e164: "+4915123456789", flags: [.unicodeSpace]),
    Case(raw: "\u{00A0}0151\u{00A0}23456789\u{200B}", region: "DE", e164: "+4915123456789", flags: [.unicodeSpace]),
    Case(raw: "+٤٩ ١٥١ ٢٣٤٥٦٧٨٩", region: nil, e164: "+4915123456789", flags: [.unicodeDigits]),
    Case(raw: "＋４９　１５１　２３４５６７８９", region: nil, e164: "+4915123456789", flags: [.unicodeDigits, .unicodeSpace]),
    Case(raw: "۰۹۱۲ ۳۴۵ ۶۷۸۹", region: "IR", e164: "+989123456789", flags: [.unicodeDigits]),
    // International prefixes
    Case(raw: "0049 151 23456789", region: "DE", e164: "+4915123456789", flags: [.iddPrefix]),
    Case(raw: "0049 151 23456789", region: nil, e164: "+4915123456789", flags: [.iddPrefix]),
    Case(raw: "011 49 151 23456789", region: "US", e164: "+4915123456789"),
    Case(raw: "+49 (0)151 23456789", region: nil, e164: "+4915123456789", flags: [.trunkZero]),
    Case(raw: "0049 (0) 30 12345678", region: "FR", e164: "+493012345678", flags: [.iddPrefix, .trunkZero]),
    // Country code without +: accepted only when the national reading fails
    Case(raw: "4915123456789", region: "FR", e164: "+4915123456789", flags: [.missingPlus]),
    Case(raw: "4915123456789", region: nil, e164: "+4915123456789", flags: [.missingPlus]),
    Case(raw: "5511912345678", region: "US", e164: "+5511912345678", flags: [.missingPlus]),
    // Extensions and several numbers
    Case(raw: "+49 151 23456789 ext. 12", region: nil, e164: "+4915123456789", flags: [.phoneExtension], phoneExtension: "12"),
    Case(raw: "+1 415 555 2671 x305", region: nil, e164: "+14155552671", flags: [.phoneExtension], phoneExtension: "305"),
    Case(
        raw: "0151 23456789 / 0171 2222222", region: "DE", e164: "+4915123456789", flags: [.multipleNumbers],
        extra: ["0171 2222222"]),
    Case(
        raw: "0151 23456789, 030 1234567", region: "DE", e164: "+4915123456789", flags: [.multipleNumbers], extra: ["030 1234567"]
    ),
    Case(
        raw: "015123456789/01712222222", region: "DE", e164: "+4915123456789", flags: [.multipleNumbers], extra: ["01712222222"]),
    Case(raw: "0151/23456789", region: "DE", e164: "+4915123456789"),
    // Rejections, one reason each
    Case(raw: "", region: "DE", reason: .empty),
    Case(raw: "   ", region: "DE", reason: .empty),
    Case(raw: "n/a", region: "DE", reason: .notANumber),
    Case(raw: "unknown", region: "DE", reason: .notANumber),
    Case(raw: "12", region: "DE", reason: .tooShort),
    Case(raw: "+49 151 2345678901234567", region: nil, reason: .tooLong),
    Case(raw: "+999 123456789", region: nil, reason: .invalidCountryCode),
    Case(raw: "0151 23456789", region: nil, reason: .missingRegion),
    Case(raw: "+44 20 1234", region: nil, reason: .tooShort),
    Case(raw: "+1 555 000 0000", region: nil, reason: .invalidNumber),
]

@Suite("Normalization table")
struct NormalizationTableTests {
    @Test(arguments: cases)
    func normalizes(_ item: Case) {
        let result = PhoneNormalizer().normalize(item.raw, region: item.region)
        #expect(result.e164 == item.e164)
        #expect(result.rejection == (item.e164 == nil ? item.reason : nil))
        if item.e164 != nil {
            #expect(result.flags == item.flags)
            #expect(result.phoneExtension == item.phoneExtension)
            #expect(result.extraNumbers == item.extra)
        }
        if let type = item.type { #expect(result.type == type) }
    }

    @Test("a cached answer equals a fresh one")
    func cacheDoesNotChangeAnswers() {
        let cached = PhoneNormalizer()
        for item in cases {
            let first = cached.normalize(item.raw, region: item.region)
            let second = cached.normalize(item.raw, region: item.region)
            let fresh = PhoneNormalizer().normalize(item.raw, region: item.region)
            #expect(first == second)
            #expect(second == fresh)
        }
        #expect(cached.cacheHits > 0)
    }
}

@Suite("Reference mode")
struct ReferenceModeTests {
    @Test("the fast path (cache, stripped key, type-derived validity) equals plain libphonenumber calls", arguments: cases)
    func fastEqualsReference(_ item: Case) {
        let fast = PhoneNormalizer()
        _ = fast.normalize(item.raw, region: item.region)  // warm the cache: the second answer comes from it
        let cached = fast.normalize(item.raw, region: item.region)
        let reference = PhoneNormalizer(reference: true).normalize(item.raw, region: item.region)
        #expect(cached.e164 == reference.e164)
        #expect(cached.type == reference.type)
        #expect(cached.rejection == reference.rejection)
        #expect(cached.flags == reference.flags)
    }
}
