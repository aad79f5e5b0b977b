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
    }

    /// The reading kept, and the flags that say how it was chosen.
    private struct Resolution {
        var result: PhoneParseResult
        var international: Bool
        var flags: Set<PhoneFlag>
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
    /// numbers without `+`.
    public func normalize(_ raw: String, region: RegionHint?, format: PhoneFormat) -> NormalizedPhone {
        let repaired = PhoneRepair.repair(raw)
        let regionCode = repaired.hasPlus ? "ZZ" : (region?.code ?? "ZZ")
        var out = NormalizedPhone(
            e164: nil, region: nil, type: nil, phoneExtension: repaired.uriExtension,
            extraNumbers: repaired.extraNumbers, flags: repaired.flags, rejection: repaired.rejection,
            parsedText: repaired.text, parsedRegion: regionCode)
        if out.rejection != nil { return out }

        let resolution = resolve(repaired, region: repaired.hasPlus ? nil : region, format: format)
        let result = resolution.result
        out.flags.formUnion(resolution.flags)
        if resolution.international && !repaired.hasPlus {
            out.parsedText = "+" + repaired.key
            out.parsedRegion = "ZZ"
        }
        if result.status == .ok && result.isValid {
            out.e164 = result.e164
            out.region = result.region
            out.type = result.type
            if !result.phoneExtension.isEmpty { out.phoneExtension = result.phoneExtension }
            if !out.phoneExtension.isEmpty { out.flags.insert(.phoneExtension) }
            return out
        }
        out.rejection = Self.reason(for: result, hadRegion: repaired.hasPlus || region != nil || resolution.international)
        return out
    }

    private func resolve(_ repaired: RepairedPhone, region: RegionHint?, format: PhoneFormat) -> Resolution {
        let text = reference ? repaired.text : repaired.key
        let key = CacheKey(text: text, region: region, format: format)
        if !reference, let hit = cache[key] {
            cacheHits += 1
            return hit
        }
        let resolution = read(repaired, text: text, region: region, format: format)
        if reference { return resolution }
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[key] = resolution
        return resolution
    }

    /// The national reading (in `region`) and the international one (`+` and the
    /// digits), tried in the order the source's format says; both only when the
    /// first is valid and the source is mixed. See `ReadingChoice` for the rules.
    private func read(_ repaired: RepairedPhone, text: String, region: RegionHint?, format: PhoneFormat) -> Resolution {
        if repaired.hasPlus { return Resolution(result: call(text, region: "ZZ"), international: false, flags: []) }
        // Digits only, at least 8, no trunk 0: the shortest country code + number.
        let digits = repaired.key
        let canBeInternational =
            digits.utf8.count >= 8 && digits.utf8.first != UInt8(ascii: "0")
            && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        func national() -> PhoneParseResult { call(text, region: region?.code ?? "ZZ") }
        func international() -> PhoneParseResult { call("+" + digits, region: "ZZ") }

        if format == .international && canBeInternational {
            let reading = international()
            if reading.usable {
                // The source's format decides; a row whose own country says otherwise while
                // the national reading is valid too is flagged for review.
                var flags: Set<PhoneFlag> = [.missingPlus]
                if let region, region.evidence == .row, reading.region != region.code {
                    let other = national()
                    if other.usable && other.e164 != reading.e164 { flags.insert(.ambiguousInternational) }
                }
                return Resolution(result: reading, international: true, flags: flags)
            }
            guard region != nil else { return Resolution(result: reading, international: true, flags: []) }
            let fallback = national()
            return Resolution(result: fallback, international: false, flags: fallback.usable ? [.nationalFallback] : [])
        }
        let first = national()
        if format == .international {
            return Resolution(result: first, international: false, flags: first.usable ? [.nationalFallback] : [])
        }
        guard canBeInternational else { return Resolution(result: first, international: false, flags: []) }
        if !first.usable || region == nil {
            let second = international()
            if second.usable { return Resolution(result: second, international: true, flags: [.missingPlus]) }
            return Resolution(result: first, international: false, flags: [])
        }
        if format == .national { return Resolution(result: first, international: false, flags: []) }
        let second = international()
        guard second.usable, second.e164 != first.e164, let region else {
            // Digits that also have the shape of an international number (a country code
            // and a possible length, though not an assigned range) in a region that is
            // only a guess: the non-mobile national reading is kept, flagged for review.
            let looksInternational = second.status == .ok && second.possibility == .possible
            if !second.usable, looksInternational, region?.evidence == .guess,
                ReadingChoice.mobileRank(first.type) < 2
            {
                return Resolution(result: first, international: false, flags: [.ambiguousNational])
            }
            return Resolution(result: first, international: false, flags: [])
        }
        let choice = ReadingChoice.choose(
            digits: digits, national: first.type, international: second.type, evidence: region.evidence,
            facts: facts(for: region.code))
        return choice == .international
            ? Resolution(result: second, international: true, flags: [.missingPlus, .ambiguousInternational])
            : Resolution(result: first, international: false, flags: [.ambiguousNational])
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
