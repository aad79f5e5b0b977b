import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The `--out` folder: created when missing, named without a trailing slash.
public enum OutputFolder {
    public static func trimmed(_ directory: String) -> String {
        directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// Creates the folder and returns its trimmed name.
    @discardableResult
    public static func prepare(_ directory: String) throws -> String {
        let folder = trimmed(directory)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WamigrateError(.output, "cannot create the output folder", hint: "check --out", at: .init(file: folder))
        }
        return folder
    }

    /// Writes a small file whole, atomically: a temporary file beside it, renamed into place,
    /// so a reader never sees half a file. Not flushed to disk one by one (a converter writes
    /// thousands of them; fsync each cost more than the conversion): after a power loss a
    /// file may be missing or older, and running the command again writes it.
    public static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        var ok = descriptor >= 0
        if ok {
            ok = data.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    if written <= 0 { return false }
                    offset += written
                }
                return true
            }
            ok = close(descriptor) == 0 && ok
        }
        if ok {
            try AtomicFile.publish(temporary, as: path)
            return
        }
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw WamigrateError(
            .output, "cannot write the file: \(reason)", hint: "check the --out folder is writable and has space",
            at: .init(file: path))
    }
}
