import Foundation

/// Writes RFC 4180 CSV (UTF-8, LF, quotes only where needed) through an
/// `AtomicFile`: the file appears whole on `finish`, or not at all.
///
/// Safe to open in a spreadsheet (OWASP's CSV-injection advice): a cell that starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so the
/// spreadsheet shows it as text instead of evaluating it. A cell that is exactly an
/// E.164 number (`+` and digits) is left as it is: it cannot hold a formula, and the
/// number must stay usable by the programs that read these files.
public final class CSVWriter {
    private let file: AtomicFile

    public var path: String { file.path }

    public init(path: String, header: [String]) throws {
        file = try AtomicFile(path: path)
        write(header)
    }

    public func write(_ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { file.append(UInt8(ascii: ",")) }
            guard var field else { continue }
            if Self.evaluable(field) { field = "'" + field }
            if field.utf8.contains(where: Self.needsQuoting) {
                file.append(UInt8(ascii: "\""))
                for byte in field.utf8 {
                    if byte == UInt8(ascii: "\"") { file.append(byte) }
                    file.append(byte)
                }
                file.append(UInt8(ascii: "\""))
            } else {
                file.append(contentsOf: field.utf8)
            }
        }
        file.append(10)
        file.endRecord()
    }

    /// A cell a spreadsheet would evaluate as a formula.
    public static func evaluable(_ field: String) -> Bool {
        guard let first = field.utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13: return true
        case UInt8(ascii: "+"):
            let rest = field.utf8.dropFirst()
            return rest.isEmpty || !rest.allSatisfy { $0 >= 48 && $0 <= 57 }
        default: return false
        }
    }

    private static func needsQuoting(_ byte: UInt8) -> Bool {
        byte == 44 || byte == 34 || byte == 10 || byte == 13  // , " LF CR
    }

    public func finish() throws { try file.finish() }
}
