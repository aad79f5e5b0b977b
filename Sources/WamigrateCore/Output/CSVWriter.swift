import Foundation

/// Writes RFC 4180 CSV (UTF-8, LF, quotes only where needed) to a temporary file
/// and moves it into place on `finish`, so a crash never leaves half a file.
final class CSVWriter {
    let path: String
    private let temporary: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String, header: [String]) throws {
        self.path = path
        temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw WamigrateError(
                .output, "cannot write output file", hint: "check that --out is a writable folder", at: .init(file: path))
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
        write(header)
    }

    func write(_ fields: [String?]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            guard let field else { continue }
            let needsQuotes = field.utf8.contains(where: Self.needsQuoting)
            if needsQuotes {
                buffer.append(UInt8(ascii: "\""))
                for byte in field.utf8 {
                    if byte == UInt8(ascii: "\"") { buffer.append(byte) }
                    buffer.append(byte)
                }
                buffer.append(UInt8(ascii: "\""))
            } else {
                buffer.append(contentsOf: field.utf8)
            }
        }
        buffer.append(10)
        if buffer.count > (1 << 20) { flush() }
    }

    private static func needsQuoting(_ byte: UInt8) -> Bool {
        byte == 44 || byte == 34 || byte == 10 || byte == 13  // , " LF CR
    }

    private func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        flush()
        try handle.close()
        _ = try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }
}
