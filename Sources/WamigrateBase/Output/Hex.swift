/// Lowercase hex for digests; `String(format:)` costs microseconds a byte.
public enum Hex {
    @usableFromInline static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Inlinable, so each caller's sequence type (a digest, a slice of one) is specialized:
    /// unspecialized, this was 4 % of dedupe (a contact id per contact).
    @inlinable
    public static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
