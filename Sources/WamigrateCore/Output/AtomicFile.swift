import Foundation

/// An output file written to `path.partial` through a 1 MiB buffer and moved
/// into place by `finish`, so a crash never leaves half a file behind.
final class AtomicFile {
    let path: String
    private let temporary: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []

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
        buffer.reserveCapacity(1 << 20)
    }

    func append(_ byte: UInt8) { buffer.append(byte) }

    func append<Bytes: Sequence>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// Writes the buffer out once it holds a MiB; call after each record.
    func endRecord() {
        if buffer.count > (1 << 20) { flush() }
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
