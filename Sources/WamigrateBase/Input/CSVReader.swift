import Foundation

/// One CSV record with where it came from.
public struct CSVRecord: Sendable {
    public var fields: [String]
    /// 1-based physical line the record starts on.
    public var line: Int
}

/// A streaming RFC 4180 reader that also takes what real exports do: a UTF-8 BOM,
/// CRLF or bare CR, `;`/tab/`|` delimiters (sniffed from the header line), quoted
/// fields with delimiters and newlines, stray quotes inside unquoted fields, and
/// Windows-1252 or UTF-16 text. Reads 1 MiB at a time; memory stays bounded
/// (UTF-16 files are transcoded whole: they are rare and small).
public final class CSVReader {
    public let path: String
    public let encoding: TextEncoding
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")
    /// Blank lines skipped so far (they are not records).
    public private(set) var blankLines = 0

    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEOF = false
    private var line = 1
    private var field: [UInt8] = []
    private var droppedBytes = 0

    public init(path: String, encoding: TextEncoding, delimiter: UInt8? = nil) throws {
        self.path = path
        self.encoding = encoding
        switch encoding {
        case .utf16LE, .utf16BE:
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let text = String(data: data, encoding: encoding == .utf16LE ? .utf16LittleEndian : .utf16BigEndian)
            else {
                throw WamigrateError(
                    .inputEncoding, "file has a UTF-16 byte order mark but is not valid UTF-16",
                    hint: "re-export as UTF-8", at: .init(file: path))
            }
            buffer = Array(text.utf8)
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
            atEOF = true
        default:
            handle = FileHandle(forReadingAtPath: path)
            guard handle != nil else {
                throw WamigrateError(.inputMissing, "input file cannot be opened", hint: "check the path", at: .init(file: path))
            }
            try refill()
            if encoding == .utf8BOM, buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        }
        self.delimiter = try delimiter ?? sniffDelimiter()
    }

    deinit { try? handle?.close() }

    public var delimiterName: String {
        switch delimiter {
        case UInt8(ascii: ","): "comma"
        case UInt8(ascii: ";"): "semicolon"
        case UInt8(ascii: "\t"): "tab"
        case UInt8(ascii: "|"): "pipe"
        default: "0x" + String(delimiter, radix: 16)
        }
    }

    /// Bytes of the file read into records so far (of the transcoded text for
    /// UTF-16), for progress against the file's size.
    public var bytesRead: Int { droppedBytes + position }

    // MARK: - Records

    /// The next record, or nil at the end of the file. Blank lines are skipped.
    public func next() throws -> CSVRecord? {
        while true {
            guard try peek() != nil else { return nil }
            let startLine = line
            var fields: [String] = []
            fields.reserveCapacity(16)
            var endOfRecord = false
            while !endOfRecord {
                endOfRecord = try readField(recordLine: startLine)
                fields.append(decodeField())
            }
            if fields.count == 1 && fields[0].isEmpty {
                blankLines += 1
                continue
            }
            return CSVRecord(fields: fields, line: startLine)
        }
    }

    /// Reads one field into `field`; returns true when it ended the record.
    private func readField(recordLine: Int) throws -> Bool {
        field.removeAll(keepingCapacity: true)
        guard var byte = try peek() else { return true }
        if byte == UInt8(ascii: "\"") {
            let openLine = line
            let openColumn = 1
            advance()
            while true {
                guard let next = try peek() else {
                    throw WamigrateError(
                        .inputCSV, "a quoted field opened here is never closed",
                        hint: "close the quote, or double every quote inside the field (\"\")",
                        at: .init(file: path, line: openLine, column: openColumn))
                }
                advance()
                if next == UInt8(ascii: "\"") {
                    if try peek() == UInt8(ascii: "\"") {
                        advance()
                        field.append(next)
                    } else {
                        break
                    }
                } else {
                    if next == 10 { line += 1 }
                    field.append(next)
                }
            }
            // Anything between the closing quote and the delimiter is kept, as most readers do.
            guard let after = try peek() else { return true }
            byte = after
        }
        while true {
            if byte == delimiter {
                advance()
                return false
            }
            if byte == 10 {
                advance()
                line += 1
                return true
            }
            if byte == 13 {
                advance()
                if try peek() == 10 { advance() }
                line += 1
                return true
            }
            field.append(byte)
            advance()
            guard let next = try peek() else { return true }
            byte = next
        }
    }

    private func decodeField() -> String {
        field.withUnsafeBufferPointer { encoding.decode($0) }
    }

    // MARK: - Buffer

    @inline(__always) private func peek() throws -> UInt8? {
        if position < buffer.count { return buffer[position] }
        try refill()
        return position < buffer.count ? buffer[position] : nil
    }

    @inline(__always) private func advance() { position += 1 }

    private func refill() throws {
        guard !atEOF, let handle else { return }
        let chunk = try handle.read(upToCount: InputInspector.chunkSize) ?? Data()
        if position > 0 {
            buffer.removeFirst(position)
            droppedBytes += position
            position = 0
        }
        if chunk.isEmpty {
            atEOF = true
        } else {
            buffer.append(contentsOf: chunk)
        }
    }

    /// Picks the candidate that appears most often outside quotes on the header line.
    private func sniffDelimiter() throws -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var index = position
        while index < buffer.count {
            let byte = buffer[index]
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes && (byte == 10 || byte == 13) { break }
            if !inQuotes, let which = candidates.firstIndex(of: byte) { counts[which] += 1 }
            index += 1
        }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[best] > 0 else {
            return UInt8(ascii: ",")
        }
        return candidates[best]
    }
}
