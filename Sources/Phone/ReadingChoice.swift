/// Digits written without `+` can be a national number in the row's region or a
/// country code followed by a national number. When libphonenumber finds both
/// readings valid, the evidence on the row decides, in this order; every rule says
/// which evidence it weighs, and none overrules stronger evidence with a guess:
///
/// 1. **National writing** (`PhoneFlag.nationalWriting`: the region's trunk prefix and a
///    separated or bracketed area code, `8 (495) 077-30-34`, or a bracketed first group)
///    is only how national numbers are written: the national reading. (The normalizer
///    does not even try the international one.)
/// 2. **Own country code**: in a country whose national numbers are dialled with a
///    trunk prefix (DE, GB, TR, FR, UA, … `0`), a national number is not written as
///    the country's own code with no trunk prefix; `491701234567` in a DE row is
///    `+49 170 1234567`. (NANP countries are exempt: their trunk prefix *is* the
///    country code `1`, so both readings are one number.)
/// 3. **A trunk prefix**: digits that open with the region's trunk prefix (`8` in RU, KZ)
///    followed by a valid national number are written nationally, separators or not, when
///    the region is the row's or the source's (not a guess): `84951018076` in an RU row is
///    Moscow, not a Vietnamese mobile.
/// 4. **The row's own country** (its country cell) is evidence for the national reading
///    that a reading in another country does not outweigh by being "mobile": the
///    national reading stands. Only when the source itself writes international digits
///    (Viber, whose accounts are mobile numbers) *and* that reading is a mobile while the
///    national one cannot be (a fixed line, premium rate, …) do two pieces of evidence
///    point away from the row's country: then neither is picked, the row goes to
///    **review** with both numbers.
/// 5. **Mobile beats fixed line**, for a region that is only the source's or the job's
///    default: when one reading is a mobile number and the other is not
///    (fixed-line-or-mobile counts as half way), the mobile one wins; exports of
///    messaging platforms hold mobiles, and permissive fixed-line plans (DE) accept
///    almost any digits.
/// 6. **A guessed region is weak evidence**: when the region is only the job's
///    `--default-region` (no country cell, no source region), the international
///    reading wins; a source's default region keeps the national one.
///
/// Every such choice is flagged on the row (`ambiguous_international` or
/// `ambiguous_national`) so an auditor can review it.
public enum ReadingChoice {
    public enum Reading: Equatable, Sendable {
        case national, international
        /// The evidence conflicts: a person must confirm which number it is.
        case review(ReviewReason)
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

        /// The text opens with this region's trunk prefix and a separator or bracket
        /// (or with a bracketed group): written as a national number. NANP's trunk `1`
        /// is its country code too, so it says nothing there.
        public func isNationalWriting(_ opening: Character?) -> Bool {
            guard let opening else { return false }
            if opening == "(" { return true }
            return !trunkPrefix.isEmpty && trunkPrefix != countryCode && String(opening) == trunkPrefix
        }
    }

    /// Both readings are valid and give different numbers: which one to keep.
    /// `internationalRegion` is the region of the international reading; `format` is how
    /// the source writes numbers without `+`.
    public static func choose(
        digits: String, national: PhoneNumberType, international: PhoneNumberType, internationalRegion: String,
        region: RegionHint, format: PhoneFormat, facts: RegionFacts
    ) -> Reading {
        if !facts.trunkPrefix.isEmpty, facts.countryCode != "1", !facts.countryCode.isEmpty,
            digits.hasPrefix(facts.countryCode)
        {
            return .international
        }
        if region.evidence != .guess, !facts.trunkPrefix.isEmpty, facts.trunkPrefix != facts.countryCode,
            digits.hasPrefix(facts.trunkPrefix)
        {
            return .national
        }
        let nationalRank = mobileRank(national)
        let internationalRank = mobileRank(international)
        if region.evidence == .row && internationalRegion != region.code {
            if format == .international && nationalRank == 0 && internationalRank > 0 { return .review(.countryConflict) }
            return .national
        }
        if nationalRank != internationalRank { return nationalRank > internationalRank ? .national : .international }
        if region.evidence == .guess { return .international }
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
