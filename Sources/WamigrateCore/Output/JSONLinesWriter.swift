import Foundation

/// Writes one JSON object per line (keys sorted, nulls kept) to a temporary
/// file and moves it into place on `finish`, like CSVWriter.
final class JSONLinesWriter {
    let path: String
    private let temporary: String
    private let handle: FileHandle
    private var buffer = Data()

    init(path: String) throws {
        self.path = path
        temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw WamigrateError(
                .output, "cannot write output file", hint: "check that --out is a writable folder", at: .init(file: path))
        }
        self.handle = handle
    }

    func write(_ object: [String: String?]) throws {
        let plain = object.mapValues { $0.map { $0 as Any } ?? NSNull() }
        buffer.append(try JSONSerialization.data(withJSONObject: plain, options: [.sortedKeys, .withoutEscapingSlashes]))
        buffer.append(10)
        if buffer.count > (1 << 20) { flush() }
    }

    private func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        flush()
        try handle.close()
        _ = try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }
}
