import Crypto
import Foundation

/// What one pass over an input file learned before any row is read: its size and
/// SHA-256 for the manifest, its encoding, and whether it can be read at all.
public struct InputFacts: Sendable, Codable {
    public var path: String
    public var size: Int64
    public var sha256: String
    public var encoding: TextEncoding
}

/// Streams a file once, in fixed-size chunks (memory stays bounded), and refuses
/// missing, empty, binary and undecodable files with an error that says what to do.
public enum InputInspector {
    public static let chunkSize = 1 << 20

    public static func inspect(path: String) throws -> InputFacts {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw WamigrateError(
                .inputMissing, "input file not found", hint: "check the path; give each export file as an argument",
                at: .init(file: path))
        }
        // A FIFO, socket or device would block or never end: only regular files are read.
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw WamigrateError(
                .inputMissing, "input is not a regular file (a pipe, socket or device)",
                hint: "save the export to a file and give that file's path", at: .init(file: path))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WamigrateError(
                .inputMissing, "input file cannot be opened for reading", hint: "check the file's permissions",
                at: .init(file: path))
        }
        defer { try? handle.close() }

        var hasher = SHA256()
        var size: Int64 = 0
        var validator = UTF8Validator()
        var sawHighByte = false
        var sawUndefined1252 = false
        var firstChunk = true
        var encoding = TextEncoding.utf8
        var line = 1
        var firstBadLine: Int?
        var nonBlank = false

        while true {
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            size += Int64(chunk.count)
            try chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                let bytes = raw.bindMemory(to: UInt8.self)
                var start = 0
                if firstChunk {
                    firstChunk = false
                    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                        encoding = .utf8BOM
                        start = 3
                    } else if bytes.starts(with: [0xFF, 0xFE]) {
                        encoding = .utf16LE
                    } else if bytes.starts(with: [0xFE, 0xFF]) {
                        encoding = .utf16BE
                    } else if let nul = bytes.prefix(65536).firstIndex(of: 0) {
                        let nulLine = 1 + bytes[..<nul].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                        throw WamigrateError(
                            .inputBinary, "file looks binary (a NUL byte), not a CSV export",
                            hint: "export the data as CSV (UTF-8); a spreadsheet (.xlsx) must be saved as CSV first",
                            at: .init(file: path, line: nulLine))
                    }
                }
                if encoding == .utf16LE || encoding == .utf16BE { return }
                for index in start..<bytes.count {
                    let byte = bytes[index]
                    if byte == 10 { line += 1 }
                    if byte == 0 {
                        // Anywhere in the file: a NUL would cut a value short in the store.
                        throw WamigrateError(
                            .inputBinary, "file holds a NUL byte, which no CSV export contains",
                            hint: "export the data as CSV again; the file may be damaged or binary",
                            at: .init(file: path, line: line))
                    }
                    if byte > 32 { nonBlank = true }
                    if byte >= 0x80 {
                        sawHighByte = true
                        if [0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(byte) { sawUndefined1252 = true }
                    }
                    if !validator.feed(byte), firstBadLine == nil { firstBadLine = line }
                }
            }
        }
        if encoding == .utf16LE || encoding == .utf16BE { nonBlank = size > 2 }
        guard size > 0, nonBlank else {
            throw WamigrateError(
                .inputEmpty, "file is empty", hint: "export again: the file has no header and no rows",
                at: .init(file: path))
        }
        if encoding == .utf8 || encoding == .utf8BOM {
            if !validator.finish(), firstBadLine == nil { firstBadLine = line }
            if let badLine = firstBadLine, sawHighByte {
                if sawUndefined1252 || encoding == .utf8BOM {
                    throw WamigrateError(
                        .inputEncoding, "file is neither valid UTF-8 nor Windows-1252/Latin-1 text",
                        hint: "re-export as UTF-8 (in Excel: Save As → CSV UTF-8)",
                        at: .init(file: path, line: badLine))
                }
                encoding = .windows1252
            }
        }
        let digest = Hex.string(hasher.finalize())
        return InputFacts(path: path, size: size, sha256: digest, encoding: encoding)
    }
}

/// Incremental UTF-8 validation that survives chunk boundaries.
public struct UTF8Validator {
    private var pending = 0
    private var lowerBound: UInt8 = 0x80
    private var upperBound: UInt8 = 0xBF

    /// Returns false when `byte` makes the stream invalid (the state resets).
    public mutating func feed(_ byte: UInt8) -> Bool {
        if pending > 0 {
            guard byte >= lowerBound && byte <= upperBound else {
                pending = 0
                return false
            }
            pending -= 1
            lowerBound = 0x80
            upperBound = 0xBF
            return true
        }
        switch byte {
        case 0x00...0x7F: return true
        case 0xC2...0xDF: pending = 1
        case 0xE0: pending = 2; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: pending = 2
        case 0xED: pending = 2; upperBound = 0x9F
        case 0xF0: pending = 3; lowerBound = 0x90
        case 0xF1...0xF3: pending = 3
        case 0xF4: pending = 3; upperBound = 0x8F
        default: return false
        }
        return true
    }

    /// False when the stream ended inside a multi-byte sequence.
    public func finish() -> Bool { pending == 0 }
}
