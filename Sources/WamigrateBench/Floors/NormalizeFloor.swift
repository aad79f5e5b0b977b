import CPhoneNumber
import Foundation

/// The floor of normalize: one libphonenumber call per phone cell (parse, validity, E.164
/// in one `wm_phone_parse`), no cache, no repairs, in `parts` worker processes like the
/// tool's. A worker reads the cells file, takes every `parts`-th line from `part`, and
/// writes the valid numbers as 8-byte keys (the E.164 digits as an integer) with their line.
public enum NormalizeFloor {
    /// One worker's work (`wamigrate bench-floor-worker`).
    public static func work(cells path: String, part: Int, parts: Int, region fallback: String, out: String) throws {
        let cells = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        guard let parser = wm_phone_parser_create() else { throw CocoaError(.featureUnsupported) }
        defer { wm_phone_parser_destroy(parser) }
        var keys: [UInt64] = []
        var result = wm_phone_result()
        var line = 0
        var start = 0
        cells.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            var region: [CChar] = Array(fallback.utf8CString)
            while start < bytes.count {
                var end = start
                while bytes[end] != 10 { end += 1 }
                defer {
                    start = end + 1
                    line += 1
                }
                guard line % parts == part else { continue }
                var tab = start
                while bytes[tab] != 9 { tab += 1 }
                // The row's country when it is two letters, else the job's default region.
                if end - tab == 3, isalpha(Int32(bytes[tab + 1])) != 0, isalpha(Int32(bytes[tab + 2])) != 0 {
                    region = [CChar(toupper(Int32(bytes[tab + 1]))), CChar(toupper(Int32(bytes[tab + 2]))), 0]
                } else {
                    region = Array(fallback.utf8CString)
                }
                _ = wm_phone_parse(parser, base + start, tab - start, region, &result)
                guard result.status == 0, result.valid == 1 else { continue }
                var key: UInt64 = 0
                withUnsafeBytes(of: &result.e164) { digits in
                    for digit in digits.dropFirst() {
                        if digit == 0 { break }
                        key = key &* 10 &+ UInt64(digit &- 48)
                    }
                }
                keys.append(key)
                keys.append(UInt64(line))
            }
        }
        try keys.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: out)) }
    }
}
