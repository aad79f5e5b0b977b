import Foundation

/// Writes RFC 4180 CSV (UTF-8, LF, quotes only where needed) through an
/// `AtomicFile`: the file appears whole on `finish`, or not at all.
final class CSVWriter {
    private let file: AtomicFile

    var path: String { file.path }

    init(path: String, header: [String]) throws {
        file = try AtomicFile(path: path)
        write(header)
    }

    func write(_ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { file.append(UInt8(ascii: ",")) }
            guard let field else { continue }
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

    private static func needsQuoting(_ byte: UInt8) -> Bool {
        byte == 44 || byte == 34 || byte == 10 || byte == 13  // , " LF CR
    }

    func finish() throws { try file.finish() }
}
