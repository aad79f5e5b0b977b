import Testing

@testable import Phone

/// The fast path derives validity from the number type and strips separators for
/// caching; both must give exactly what a plain libphonenumber call gives.
@Suite("Agreement with plain libphonenumber")
struct ReferenceAgreementTests {
    static let inputs: [(String, String)] = [
        ("+49 151 23456789", "ZZ"), ("0151 23456789", "DE"), ("030 1234567", "DE"), ("0800 1234567", "DE"),
        ("+1 (415) 555-2671", "ZZ"), ("(212) 555-0100", "US"), ("07911 123456", "GB"), ("020 7946 0018", "GB"),
        ("06 12 34 56 78", "FR"), ("+55 11 91234-5678", "ZZ"), ("+52 1 55 1234 5678", "ZZ"), ("12", "DE"),
        ("+999 123", "ZZ"), ("+49 151 2345678901234", "ZZ"), ("0664 1234567", "AT"), ("+380 67 123 4567", "ZZ"),
        ("+800 1234 5678", "ZZ"), ("+7 912 345-67-89", "ZZ"), ("09 123 4567", "NZ"), ("+86 138 0013 8000", "ZZ"),
    ]

    @Test func fastPathMatchesReference() {
        let parser = PhoneParser()
        for (text, region) in Self.inputs {
            let fast = parser.parse(text, region: region)
            let reference = parser.parseReference(text, region: region)
            #expect(fast.status == reference.status, "\(text)")
            #expect(fast.isValid == reference.isValid, "\(text)")
            #expect(fast.e164 == reference.e164, "\(text)")
            #expect(fast.type == reference.type, "\(text)")
            #expect(fast.region == reference.region, "\(text)")
        }
    }

    @Test func cacheKeyParsesLikeTheOriginal() {
        let parser = PhoneParser()
        for (text, region) in Self.inputs {
            let key = PhoneRepair.cacheKey(text)
            let original = parser.parseReference(text, region: region)
            let stripped = parser.parseReference(key, region: region)
            #expect(original == stripped, "\(text) → \(key)")
        }
    }

    @Test func metadataIsRecorded() {
        #expect(PhoneMetadata.fingerprint.count == 16)
        #expect(PhoneMetadata.libraryFile.hasPrefix("libphonenumber.so"))
        #expect(PhoneMetadata.isSupportedRegion("DE"))
        #expect(!PhoneMetadata.isSupportedRegion("XX"))
        #expect(PhoneMetadata.countryCode(forRegion: "BR") == 55)
    }
}
