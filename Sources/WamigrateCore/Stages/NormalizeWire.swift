import Phone

#if canImport(Glibc)
    import Glibc
#endif

/// The frames normalize's parent and its worker processes exchange over pipes:
/// a little-endian byte length, then the payload. A request is a batch of cells
/// with the region and format to read them in; the answer is one
/// `NormalizedPhone` per cell, in order, and the worker's call and cache counts.
enum NormalizeWire {
    struct Request {
        var phone: String
        var region: RegionHint?
        var format: PhoneFormat
        /// The source's phone-column precision (`ScientificNotation`), 0 when unknown.
        var columnDigits = 0
    }

    struct Answer {
        var phones: [NormalizedPhone]
        var libraryCalls: Int
        var cacheHits: Int
    }

    static func encode(_ requests: [Request]) -> [UInt8] {
        var out = ByteWriter()
        out.int(requests.count)
        for request in requests {
            out.string(request.phone)
            out.string(request.region?.code)
            out.byte(request.region.map { evidenceCodes.firstIndex(of: $0.evidence)! } ?? 255)
            out.byte(PhoneFormat.allCases.firstIndex(of: request.format)!)
            out.int(request.columnDigits)
        }
        return out.framed
    }

    static func decodeRequests(_ payload: [UInt8]) throws -> [Request] {
        var input = ByteReader(payload)
        return try (0..<input.int()).map { _ in
            let phone = try input.string() ?? ""
            let code = try input.string()
            let evidence = try input.byte()
            let format = try input.byte()
            let columnDigits = try input.int()
            guard format < PhoneFormat.allCases.count, evidence == 255 || evidence < evidenceCodes.count else {
                throw ByteReader.Malformed()
            }
            let region = code.flatMap { code in evidence == 255 ? nil : RegionHint(code, evidenceCodes[evidence]) }
            return Request(phone: phone, region: region, format: PhoneFormat.allCases[format], columnDigits: columnDigits)
        }
    }

    static func encode(_ answer: Answer) -> [UInt8] {
        var out = ByteWriter()
        out.int(answer.phones.count)
        out.int(answer.libraryCalls)
        out.int(answer.cacheHits)
        for phone in answer.phones {
            out.string(phone.e164)
            out.string(phone.region)
            out.byte(phone.type.map { Int($0.rawValue) } ?? 255)
            out.string(phone.phoneExtension)
            out.int(phone.extraNumbers.count)
            for number in phone.extraNumbers { out.string(number) }
            out.int(phone.flags.count)
            for flag in phone.flags { out.string(flag.rawValue) }
            out.string(phone.rejection?.rawValue)
            out.string(phone.parsedText)
            out.string(phone.parsedRegion)
            out.string(phone.review?.rawValue)
            out.int(phone.candidates.count)
            for number in phone.candidates { out.string(number) }
        }
        return out.framed
    }

    static func decodeAnswer(_ payload: [UInt8]) throws -> Answer {
        var input = ByteReader(payload)
        let count = try input.int()
        let calls = try input.int()
        let hits = try input.int()
        let phones = try (0..<count).map { _ in
            let e164 = try input.string()
            let region = try input.string()
            let typeCode = try input.byte()
            let phoneExtension = try input.string() ?? ""
            let extra = try (0..<input.int()).map { _ in try input.string() ?? "" }
            let flags = try (0..<input.int()).map { _ in try input.string().flatMap(PhoneFlag.init(rawValue:)) }
            let rejection = try input.string()
            var phone = NormalizedPhone(
                e164: e164, region: region, type: typeCode == 255 ? nil : PhoneNumberType(rawValue: numericCast(typeCode)),
                phoneExtension: phoneExtension, extraNumbers: extra, flags: Set(flags.compactMap { $0 }),
                rejection: rejection.flatMap(RejectReason.init(rawValue:)), parsedText: try input.string() ?? "",
                parsedRegion: try input.string() ?? "ZZ")
            let review = try input.string()
            phone.review = review.flatMap(ReviewReason.init(rawValue:))
            phone.candidates = try (0..<input.int()).map { _ in try input.string() ?? "" }
            guard flags.allSatisfy({ $0 != nil }), rejection == nil || phone.rejection != nil,
                review == nil || phone.review != nil
            else {
                throw ByteReader.Malformed()
            }
            return phone
        }
        return Answer(phones: phones, libraryCalls: calls, cacheHits: hits)
    }

    private static let evidenceCodes: [RegionEvidence] = [.guess, .source, .row]

    /// Reads one frame's payload; nil at a clean end of input (no byte of a new frame).
    static func readFrame(_ fd: Int32) throws -> [UInt8]? {
        guard let header = try readExactly(fd, 4, endOK: true) else { return nil }
        let length = header.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        return try readExactly(fd, length, endOK: false)
    }

    static func writeFrame(_ fd: Int32, _ frame: [UInt8]) throws {
        var done = 0
        while done < frame.count {
            let wrote = frame.withUnsafeBytes { write(fd, $0.baseAddress! + done, frame.count - done) }
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { throw PipeClosed() }
            done += wrote
        }
    }

    struct PipeClosed: Error {}

    private static func readExactly(_ fd: Int32, _ count: Int, endOK: Bool) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, count - done) }
            if got < 0 && errno == EINTR { continue }
            if got == 0 && done == 0 && endOK { return nil }
            guard got > 0 else { throw PipeClosed() }
            done += got
        }
        return buffer
    }
}

/// Appends integers (8 bytes, little-endian), bytes and length-prefixed UTF-8.
struct ByteWriter {
    private(set) var bytes: [UInt8] = [0, 0, 0, 0]

    mutating func int(_ value: Int) {
        withUnsafeBytes(of: UInt64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func byte(_ value: Int) { bytes.append(UInt8(truncatingIfNeeded: value)) }

    /// nil is length 0xFFFF_FFFF.
    mutating func string(_ value: String?) {
        guard let value else {
            withUnsafeBytes(of: UInt32.max.littleEndian) { bytes.append(contentsOf: $0) }
            return
        }
        withUnsafeBytes(of: UInt32(value.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: value.utf8)
    }

    /// The bytes with the payload length written into the first four.
    var framed: [UInt8] {
        var out = bytes
        withUnsafeBytes(of: UInt32(out.count - 4).littleEndian) { length in
            for index in 0..<4 { out[index] = length[index] }
        }
        return out
    }
}

struct ByteReader {
    struct Malformed: Error {}

    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func int() throws -> Int {
        guard offset + 8 <= bytes.count else { throw Malformed() }
        let value = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        offset += 8
        guard value <= UInt64(Int32.max) else { throw Malformed() }
        return Int(value)
    }

    mutating func byte() throws -> Int {
        guard offset < bytes.count else { throw Malformed() }
        offset += 1
        return Int(bytes[offset - 1])
    }

    mutating func string() throws -> String? {
        guard offset + 4 <= bytes.count else { throw Malformed() }
        let length = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        offset += 4
        if length == UInt32.max { return nil }
        guard offset + Int(length) <= bytes.count else { throw Malformed() }
        defer { offset += Int(length) }
        return String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self)
    }
}
