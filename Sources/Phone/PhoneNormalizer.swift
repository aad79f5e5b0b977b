/// The outcome of normalizing one phone cell.
public struct NormalizedPhone: Equatable, Sendable {
    public var e164: String?
    public var region: String?
    public var type: PhoneNumberType?
    public var phoneExtension: String
    public var extraNumbers: [String]
    public var flags: Set<PhoneFlag>
    public var rejection: RejectReason?
    /// The text handed to libphonenumber (after repairs); reference checks re-parse it.
    public var parsedText: String
    /// The region handed to libphonenumber ("ZZ" for none).
    public var parsedRegion: String
    /// Set when two readings are valid and the row's evidence conflicts: the row goes to
    /// review with both numbers (`candidates`), and `e164` stays nil.
    public var review: ReviewReason?
    /// The numbers a person must choose between (national reading first).
    public var candidates: [String] = []

    public var flagList: String { flags.sorted().map(\.rawValue).joined(separator: ",") }

    public init(
        e164: String?, region: String?, type: PhoneNumberType?, phoneExtension: String, extraNumbers: [String],
        flags: Set<PhoneFlag>, rejection: RejectReason?, parsedText: String, parsedRegion: String
    ) {
        self.e164 = e164
        self.region = region
        self.type = type
        self.phoneExtension = phoneExtension
        self.extraNumbers = extraNumbers
        self.flags = flags
        self.rejection = rejection
        self.parsedText = parsedText
        self.parsedRegion = parsedRegion
    }
}

/// Repairs a cell, reads it in its region, parses with libphonenumber and explains
/// rejections. One per thread: it owns a parser and a bounded cache of parses.
public final class PhoneNormalizer {
    private let parser = PhoneParser()
    private var cache: [CacheKey: Resolution] = [:]
    private var regionFacts: [String: ReadingChoice.RegionFacts] = [:]
    private let cacheLimit: Int
    public private(set) var cacheHits = 0
    public private(set) var libraryCalls = 0

    private struct CacheKey: Hashable {
        var text: String
        var region: RegionHint?
        var format: PhoneFormat
        var opening: Character?
    }

    /// The reading kept, the text and region it was parsed from when not the cell's
    /// own (`+` and the digits, or a legacy form's rewrite), and the flags that say how
    /// it was chosen; or a review with both candidates.
    private struct Resolution {
        var result: PhoneParseResult
        var parsed: (text: String, region: String)? = nil
        var flags: Set<PhoneFlag> = []
        var review: (reason: ReviewReason, candidates: [String])? = nil
    }

    /// `cacheLimit` bounds memory: the cache is emptied when it reaches the limit.
    /// Reference mode: no cache, the repaired text as written (separators kept), and
    /// `IsValidNumber` called on its own, as a plain libphonenumber loop does.
    /// The benchmark's check compares the two modes row by row.
    private let reference: Bool

    public init(cacheLimit: Int = 200_000, reference: Bool = false) {
        self.cacheLimit = cacheLimit
        self.reference = reference
    }

    /// A row whose region is its own country cell, in a source of mixed writing.
    public func normalize(_ raw: String, region: String?) -> NormalizedPhone {
        normalize(raw, region: region.map { RegionHint($0, .row) }, format: .mixed)
    }

    /// `region`: the row's country, else the source's default region, else the job's,
    /// with how it was known; nil when none is known. `format`: how the source writes
    /// numbers without `+`. `columnDigits`: the most significant digits a scientific cell
    /// of the row's phone column carries (0: unknown), see `ScientificNotation`.
    public func normalize(
        _ raw: String, region: RegionHint?, format: PhoneFormat, columnDigits: Int = 0
    ) -> NormalizedPhone {
        let repaired = PhoneRepair.repair(raw, columnDigits: columnDigits)
        let regionCode = repaired.hasPlus ? "ZZ" : (region?.code ?? "ZZ")
        var out = NormalizedPhone(
            e164: nil, region: nil, type: nil, phoneExtension: repaired.uriExtension,
            extraNumbers: repaired.extraNumbers, flags: repaired.flags, rejection: repaired.rejection,
            parsedText: repaired.text, parsedRegion: regionCode)
        if out.rejection != nil { return out }

        let resolution = resolve(repaired, region: repaired.hasPlus ? nil : region, format: format)
        let result = resolution.result
        out.flags.formUnion(resolution.flags)
        if let parsed = resolution.parsed {
            out.parsedText = parsed.text
            out.parsedRegion = parsed.region
        }
        if let review = resolution.review {
            out.review = review.reason
            out.candidates = review.candidates
            return out
        }
        if result.status == .ok && result.isValid {
            out.e164 = result.e164
            out.region = result.region
            out.type = result.type
            if !result.phoneExtension.isEmpty { out.phoneExtension = result.phoneExtension }
            if !out.phoneExtension.isEmpty { out.flags.insert(.phoneExtension) }
            return out
        }
        out.rejection = Self.reason(
            for: result, hadRegion: repaired.hasPlus || region != nil || resolution.parsed?.region == "ZZ")
        return out
    }

    private func resolve(_ repaired: RepairedPhone, region: RegionHint?, format: PhoneFormat) -> Resolution {
        let text = reference ? repaired.text : repaired.key
        let key = CacheKey(text: text, region: region, format: format, opening: repaired.nationalOpening)
        if !reference, let hit = cache[key] {
            cacheHits += 1
            return hit
        }
        var resolution = read(repaired, text: text, region: region, format: format)
        if !resolution.result.usable, resolution.review == nil, let legacy = legacy(repaired, region: region) {
            resolution = legacy
        }
        if reference { return resolution }
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[key] = resolution
        return resolution
    }

    /// A form current plans withdrew (`LegacyForm`), rewritten to today's number:
    /// only for a cell with no valid reading, and only kept when the rewrite is valid.
    /// The row's own region first (its legacy national forms), then the digits as an
    /// international number.
    private func legacy(_ repaired: RepairedPhone, region: RegionHint?) -> Resolution? {
        if !repaired.hasPlus, let region, let national = legacy(repaired, international: false, region: region.code) {
            return national
        }
        return legacy(repaired, international: true, region: nil)
    }

    private func legacy(_ repaired: RepairedPhone, international: Bool, region: String?) -> Resolution? {
        var digits = Substring(repaired.key)
        if repaired.hasPlus { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let form = LegacyForm.rewrite(digits: String(digits), international: international, region: region)
        else { return nil }
        let reading = call(form.text, region: form.region)
        guard reading.usable else { return nil }
        return Resolution(result: reading, parsed: (form.text, form.region), flags: [form.flag])
    }

    /// The national reading (in `region`) and the international one (`+` and the
    /// digits), tried in the order the source's format says; both only when the
    /// first is valid and the source is mixed. See `ReadingChoice` for the rules.
    private func read(_ repaired: RepairedPhone, text: String, region: RegionHint?, format: PhoneFormat) -> Resolution {
        if repaired.hasPlus { return Resolution(result: call(text, region: "ZZ")) }
        // Digits only, at least 8, no trunk 0: the shortest country code + number.
        let digits = repaired.key
        let canBeInternational =
            digits.utf8.count >= 8 && digits.utf8.first != UInt8(ascii: "0")
            && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        func national() -> PhoneParseResult { call(text, region: region?.code ?? "ZZ") }
        func international() -> PhoneParseResult { call("+" + digits, region: "ZZ") }
        func asInternational(_ reading: PhoneParseResult, _ flags: Set<PhoneFlag>) -> Resolution {
            Resolution(result: reading, parsed: ("+" + digits, "ZZ"), flags: flags)
        }

        // Written as only national numbers are: read in the region, never as a country code.
        if let region, facts(for: region.code).isNationalWriting(repaired.nationalOpening) {
            return Resolution(result: national(), flags: [.nationalWriting])
        }
        if format == .international && canBeInternational {
            let reading = international()
            if reading.usable {
                // The source's format says international; a row whose own country reads the
                // digits as another valid number is weighed by `ReadingChoice`.
                if let region, region.evidence == .row, reading.region != region.code {
                    let other = national()
                    if other.usable && other.e164 != reading.e164 {
                        return decide(digits: digits, national: other, international: reading, region: region, format: format)
                    }
                }
                return asInternational(reading, [.missingPlus])
            }
            guard region != nil else { return asInternational(reading, []) }
            let fallback = national()
            return Resolution(result: fallback, flags: fallback.usable ? [.nationalFallback] : [])
        }
        let first = national()
        if format == .international {
            return Resolution(result: first, flags: first.usable ? [.nationalFallback] : [])
        }
        guard canBeInternational else { return Resolution(result: first) }
        if !first.usable || region == nil {
            // A legacy form of the row's own region outweighs a reading in another country.
            if let region, let legacy = legacy(repaired, international: false, region: region.code) { return legacy }
            let second = international()
            if second.usable { return asInternational(second, [.missingPlus]) }
            return Resolution(result: first)
        }
        if format == .national { return Resolution(result: first) }
        let second = international()
        guard second.usable, second.e164 != first.e164, let region else {
            // Digits that also have the shape of an international number (a country code
            // and a possible length, though not an assigned range) in a region that is
            // only a guess: the non-mobile national reading is kept, flagged for review.
            let looksInternational = second.status == .ok && second.possibility == .possible
            if !second.usable, looksInternational, region?.evidence == .guess,
                ReadingChoice.mobileRank(first.type) < 2
            {
                return Resolution(result: first, flags: [.ambiguousNational])
            }
            return Resolution(result: first)
        }
        return decide(digits: digits, national: first, international: second, region: region, format: format)
    }

    /// Both readings valid and different: `ReadingChoice` weighs the row's evidence.
    private func decide(
        digits: String, national: PhoneParseResult, international: PhoneParseResult, region: RegionHint,
        format: PhoneFormat
    ) -> Resolution {
        let choice = ReadingChoice.choose(
            digits: digits, national: national.type, international: international.type,
            internationalRegion: international.region, region: region, format: format, facts: facts(for: region.code))
        switch choice {
        case .international:
            return Resolution(
                result: international, parsed: ("+" + digits, "ZZ"), flags: [.missingPlus, .ambiguousInternational])
        case .national:
            return Resolution(result: national, flags: [.ambiguousNational])
        case .review(let reason):
            return Resolution(result: national, review: (reason, [national.e164, international.e164]))
        }
    }

    private func facts(for region: String) -> ReadingChoice.RegionFacts {
        if let known = regionFacts[region] { return known }
        let facts = ReadingChoice.RegionFacts(region: region)
        regionFacts[region] = facts
        return facts
    }

    private func call(_ text: String, region: String) -> PhoneParseResult {
        libraryCalls += 1
        return reference ? parser.parseReference(text, region: region) : parser.parse(text, region: region)
    }

    static func reason(for result: PhoneParseResult, hadRegion: Bool) -> RejectReason {
        switch result.status {
        case .invalidCountryCode: return hadRegion ? .invalidCountryCode : .missingRegion
        case .notANumber, .internalError: return .notANumber
        case .tooShortAfterIDD, .tooShortNSN: return .tooShort
        case .tooLong: return .tooLong
        case .ok:
            switch result.possibility {
            // A local-only number lacks its area code: too short to dial from outside.
            case .tooShort, .possibleLocalOnly: return .tooShort
            case .tooLong: return .tooLong
            case .invalidCountryCode: return .invalidCountryCode
            default: return .invalidNumber
            }
        }
    }
}
