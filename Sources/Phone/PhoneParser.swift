import CPhoneNumber

/// libphonenumber's answer for one input string and region.
public struct PhoneParseResult: Equatable, Sendable {
    public enum Status: Int32, Sendable {
        case ok = 0
        case invalidCountryCode = 1
        case notANumber = 2
        case tooShortAfterIDD = 3
        case tooShortNSN = 4
        case tooLong = 5
        case internalError = 99
    }

    public var status: Status
    public var isValid: Bool
    public var type: PhoneNumberType
    public var possibility: Possibility
    public var countryCode: Int32
    public var e164: String
    /// ISO 3166 alpha-2, "001" for non-geographic numbers, "ZZ" when unknown.
    public var region: String
    public var phoneExtension: String

    /// Parsed and valid: a number that can be kept.
    public var usable: Bool { status == .ok && isValid }

    public enum Possibility: Int32, Sendable {
        case possible = 0, possibleLocalOnly, invalidCountryCode, tooShort, invalidLength, tooLong
    }
}

/// libphonenumber's PhoneNumberType, under the names the store and outputs use.
public enum PhoneNumberType: Int32, Sendable, CaseIterable {
    case fixedLine = 0, mobile, fixedLineOrMobile, tollFree, premiumRate, sharedCost, voip,
        personalNumber, pager, uan, voicemail, unknown

    public var name: String {
        switch self {
        case .fixedLine: "fixed_line"
        case .mobile: "mobile"
        case .fixedLineOrMobile: "fixed_line_or_mobile"
        case .tollFree: "toll_free"
        case .premiumRate: "premium_rate"
        case .sharedCost: "shared_cost"
        case .voip: "voip"
        case .personalNumber: "personal_number"
        case .pager: "pager"
        case .uan: "uan"
        case .voicemail: "voicemail"
        case .unknown: "unknown"
        }
    }
}

/// The one Swift owner of a `wm_phone_parser` handle. Not thread-safe: give each
/// thread its own parser (they share libphonenumber's singleton underneath).
public final class PhoneParser {
    private let handle: OpaquePointer

    public init() {
        guard let handle = wm_phone_parser_create() else {
            fatalError("wm_phone_parser_create: out of memory")
        }
        self.handle = handle
    }

    deinit { wm_phone_parser_destroy(handle) }

    /// Parses as `PhoneNumberUtil::Parse` does, with validity derived from the type.
    public func parse(_ text: String, region: String) -> PhoneParseResult {
        call(text, region: region, reference: false)
    }

    /// The same, calling `IsValidNumber` and `IsPossibleNumberWithReason`
    /// separately: what a plain libphonenumber loop does. Used to prove both agree.
    public func parseReference(_ text: String, region: String) -> PhoneParseResult {
        call(text, region: region, reference: true)
    }

    private func call(_ text: String, region: String, reference: Bool) -> PhoneParseResult {
        var raw = wm_phone_result()
        let length = text.utf8.count
        text.withCString { textPointer in
            region.withCString { regionPointer in
                if reference {
                    _ = wm_phone_parse_reference(handle, textPointer, length, regionPointer, &raw)
                } else {
                    _ = wm_phone_parse(handle, textPointer, length, regionPointer, &raw)
                }
            }
        }
        return PhoneParseResult(
            status: PhoneParseResult.Status(rawValue: raw.status) ?? .internalError,
            isValid: raw.valid != 0,
            type: PhoneNumberType(rawValue: raw.number_type) ?? .unknown,
            possibility: PhoneParseResult.Possibility(rawValue: raw.possibility) ?? .invalidLength,
            countryCode: raw.country_code,
            e164: Self.string(from: &raw.e164),
            region: Self.string(from: &raw.region),
            phoneExtension: Self.string(from: &raw.extension)
        )
    }

    private static func string<T>(from tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { buffer in
            let bytes = buffer.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
    }
}
