import Phone
import Testing
import WamigrateBase
import WamigrateStore

/// The store spells some of Phone's words itself (it does not link libphonenumber):
/// they must stay the words Phone writes on the rows.
@Suite("Store vocabulary")
struct StoreVocabularyTests {
    @Test func statusReviewFlagsArePhoneFlags() {
        for flag in StatusReport.reviewFlags {
            #expect(PhoneFlag(rawValue: flag) != nil, "status counts '\(flag)', which normalize never writes")
        }
        #expect(
            Set(StatusReport.reviewFlags)
                == Set(
                    [PhoneFlag.ambiguousInternational, .ambiguousNational, .nationalFallback, .unknownCountry].map(\.rawValue)))
    }
}
