import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An output file written to `path.partial` through a 1 MiB buffer and moved into
/// place by `finish` (or, while an `OutputBatch` is open for its folder, when the
/// batch is published), so a crash never leaves half a file behind. A write error
/// (a full disk) is kept and thrown by `finish`, naming the file: never a trap.
public final class AtomicFile {
    public let path: String
    private let temporary: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var failure: WamigrateError?
    private var finished = false

    public init(path: String) throws {
        self.path = path
        temporary = path + ".partial"
        try AtomicFile.refuseDirectory(path)
        descriptor = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw WamigrateError(
                .output, "cannot write output file: \(String(cString: strerror(errno)))",
                hint: "check that --out is a writable folder", at: .init(file: path))
        }
        buffer.reserveCapacity(1 << 20)
    }

    /// A file abandoned before `finish` (an error elsewhere) leaves no `.partial` behind.
    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !finished { unlink(temporary) }
    }

    /// `--out` never deletes what the tool did not create: a folder in the way is an error.
    public static func refuseDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw WamigrateError(
                .output, "a folder is in the way of an output file",
                hint: "move the folder away or choose another --out; wamigrate never deletes folders", at: .init(file: path))
        }
    }

    public func append(_ byte: UInt8) { buffer.append(byte) }

    public func append<Bytes: Sequence>(contentsOf bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// Writes the buffer out once it holds a MiB; call after each record.
    public func endRecord() {
        if buffer.count > (1 << 20) { flush() }
    }

    private func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        let ok = buffer.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
        if !ok {
            failure = WamigrateError(
                .output, "cannot write output file: \(String(cString: strerror(errno)))",
                hint: "free space on the disk of --out (or choose another folder) and run the command again",
                at: .init(file: path))
        }
    }

    public func finish() throws {
        finished = true
        flush()
        if failure == nil, fsync(descriptor) != 0 {
            failure = WamigrateError(
                .output, "cannot write output file: \(String(cString: strerror(errno)))",
                hint: "free space on the disk of --out and run the command again", at: .init(file: path))
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        if let batch = OutputBatch.open(for: path) {
            batch.stage(temporary, as: path)
        } else {
            try AtomicFile.publish(temporary, as: path)
        }
    }

    /// rename(2): replaces a file atomically, and refuses to replace a folder.
    public static func publish(_ temporary: String, as path: String) throws {
        try refuseDirectory(path)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WamigrateError(
                .output, "cannot put the output file in place: \(reason)", hint: "check the --out folder",
                at: .init(file: path))
        }
    }
}
