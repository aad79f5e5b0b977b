import CPhoneNumber

/// What a masked number may show, decided by libphonenumber.
public enum PhoneMask {
    /// "+49 151" for "+4915123456789": the calling code and the national
    /// destination code, or just the calling code; nil when it does not parse.
    public static func visiblePrefix(_ e164: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBufferPointer { wm_phone_mask_prefix(e164, $0.baseAddress!, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
