/// Digits written without `+` can be a national number in the row's region or a
/// country code followed by a national number. When libphonenumber finds both
/// readings valid, the numbering plans decide, in this order:
///
/// 1. **Own country code**: in a country whose national numbers are dialled with a
///    trunk prefix (DE, GB, TR, FR, UA, … `0`), a national number is not written as
///    the country's own code with no trunk prefix; `491701234567` in a DE row is
///    `+49 170 1234567`. (NANP countries are exempt: their trunk prefix *is* the
///    country code `1`, so both readings are one number.)
/// 2. **Mobile beats fixed line**: when one reading is a mobile number and the other
///    is not (fixed-line-or-mobile counts as half way), the mobile one wins; exports of
///    messaging platforms hold mobiles, and permissive fixed-line plans (DE) accept
///    almost any digits.
/// 3. **A guessed region is weak evidence**: when the region is only the job's
///    `--default-region` (no country cell, no source region), the international
///    reading wins.
/// 4. Otherwise the row's or the source's region stands: the national reading wins.
///
/// Every such choice is flagged on the row (`ambiguous_international` or
/// `ambiguous_national`) so an auditor can review it.
public enum ReadingChoice {
    public enum Reading: Equatable, Sendable {
        case national, international
    }

    /// What the plans say about the row's region.
    public struct RegionFacts: Equatable, Sendable {
        public var countryCode: String
        public var trunkPrefix: String

        public init(countryCode: String, trunkPrefix: String) {
            self.countryCode = countryCode
            self.trunkPrefix = trunkPrefix
        }

        public init(region: String) {
            let code = PhoneMetadata.countryCode(forRegion: region)
            self.init(
                countryCode: code > 0 ? String(code) : "", trunkPrefix: PhoneMetadata.nationalPrefix(forRegion: region))
        }
    }

    /// Both readings are valid and give different numbers: which one to keep.
    public static func choose(
        digits: String, national: PhoneNumberType, international: PhoneNumberType, evidence: RegionEvidence,
        facts: RegionFacts
    ) -> Reading {
        if !facts.trunkPrefix.isEmpty, facts.countryCode != "1", !facts.countryCode.isEmpty,
            digits.hasPrefix(facts.countryCode)
        {
            return .international
        }
        let nationalRank = mobileRank(national)
        let internationalRank = mobileRank(international)
        if nationalRank != internationalRank { return nationalRank > internationalRank ? .national : .international }
        if evidence == .guess { return .international }
        return .national
    }

    static func mobileRank(_ type: PhoneNumberType) -> Int {
        switch type {
        case .mobile: 2
        case .fixedLineOrMobile: 1
        default: 0
        }
    }
}
