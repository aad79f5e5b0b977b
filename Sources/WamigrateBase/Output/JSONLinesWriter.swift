import Foundation

/// Writes one JSON object per line through an `AtomicFile`, like CSVWriter: a
/// streaming writer made for the lists, straight from UTF-8 bytes. The keys are
/// fixed when the file is opened and written sorted, nulls kept; strings are
/// escaped as `JSONSerialization` escapes them (`"`, `\`, control characters;
/// `/` and non-ASCII left as they are), so the bytes equal what it wrote before,
/// without its per-line dictionary, boxing and locale-aware key sort (61 % of
/// `import` on a 1M-row job was spent there).
public final class JSONLinesWriter {
    private let file: AtomicFile
    /// The quoted key and colon for each output position, in sorted key order.
    private let prefixes: [[UInt8]]
    /// For each output position, the index of its value in `write`'s argument.
    private let order: [Int]

    public init(path: String, keys: [String]) throws {
        file = try AtomicFile(path: path)
        order = keys.indices.sorted { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) }
        prefixes = order.enumerated().map { position, index in
            var bytes: [UInt8] = [position == 0 ? UInt8(ascii: "{") : UInt8(ascii: ",")]
            Self.appendString(keys[index], to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            return bytes
        }
    }

    /// `values` in the order of the keys given to `init`.
    public func write(_ values: [String?]) {
        var line: [UInt8] = []
        line.reserveCapacity(512)
        for (position, index) in order.enumerated() {
            line.append(contentsOf: prefixes[position])
            if let value = values[index] {
                Self.appendString(value, to: &line)
            } else {
                line.append(contentsOf: "null".utf8)
            }
        }
        line.append(contentsOf: order.isEmpty ? [UInt8(ascii: "{"), UInt8(ascii: "}"), 10] : [UInt8(ascii: "}"), 10])
        file.append(contentsOf: line)
        file.endRecord()
    }

    public static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 10: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 8: bytes.append(contentsOf: [92, UInt8(ascii: "b")])
            case 12: bytes.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0..<32:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public func finish() throws { try file.finish() }
}
