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
}

/// Repairs a cell, picks the region, parses with libphonenumber and explains
/// rejections. One per thread: it owns a parser and a bounded cache of parses.
public final class PhoneNormalizer {
    private let parser = PhoneParser()
    private var cache: [CacheKey: Resolution] = [:]
    private let cacheLimit: Int
    public private(set) var cacheHits = 0
    public private(set) var libraryCalls = 0

    private struct CacheKey: Hashable {
        var text: String
        var region: String
    }

    private struct Resolution {
        var result: PhoneParseResult
        var missingPlus: Bool
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

    /// `region`: the first known region of row country, source default, job default;
    /// nil when none is known.
    public func normalize(_ raw: String, region: String?) -> NormalizedPhone {
        let repaired = PhoneRepair.repair(raw)
        let regionCode = repaired.hasPlus ? "ZZ" : (region ?? "ZZ")
        var out = NormalizedPhone(
            e164: nil, region: nil, type: nil, phoneExtension: repaired.uriExtension,
            extraNumbers: repaired.extraNumbers, flags: repaired.flags, rejection: repaired.rejection,
            parsedText: repaired.text, parsedRegion: regionCode)
        if out.rejection != nil { return out }

        let resolution = resolve(repaired, region: regionCode)
        let result = resolution.result
        if resolution.missingPlus {
            out.flags.insert(.missingPlus)
            out.parsedText = "+" + repaired.key.filter(\.isNumber)
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
        out.rejection = Self.reason(for: result, hadRegion: repaired.hasPlus || region != nil)
        return out
    }

    private func resolve(_ repaired: RepairedPhone, region: String) -> Resolution {
        let text = reference ? repaired.text : repaired.key
        let key = CacheKey(text: text, region: region)
        if !reference, let hit = cache[key] {
            cacheHits += 1
            return hit
        }
        var resolution = Resolution(result: call(text, region: region), missingPlus: false)
        if !(resolution.result.status == .ok && resolution.result.isValid), !repaired.hasPlus {
            // A country code written without +: accept only when the national reading
            // failed and the international one is valid.
            let digits = repaired.key.filter(\.isNumber)
            if digits.count >= 8, digits.first != "0" {
                let international = call("+" + digits, region: "ZZ")
                if international.status == .ok && international.isValid {
                    resolution = Resolution(result: international, missingPlus: true)
                }
            }
        }
        if reference { return resolution }
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[key] = resolution
        return resolution
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
