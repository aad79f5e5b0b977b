import Phone
import Testing

@testable import WamigrateCore

/// What a worker process answers is what the parent stores: every field of a
/// parsed cell survives the frames, and a cut or garbled frame is an error.
@Suite("Normalize worker frames")
struct NormalizeWireTests {
    @Test func everyFieldOfEveryCellSurvivesTheRoundTrip() throws {
        let normalizer = PhoneNormalizer()
        let requests = [
            NormalizeWire.Request(phone: "0151 23456789", region: RegionHint("DE", .row), format: .national),
            NormalizeWire.Request(phone: "+49 30 1234567 ext. 12", region: nil, format: .mixed),
            NormalizeWire.Request(phone: "4915123456789 / 0170 1234567", region: RegionHint("DE", .guess), format: .mixed),
            NormalizeWire.Request(phone: "not a number", region: RegionHint("GB", .source), format: .international),
            NormalizeWire.Request(phone: "4.91512345679E+12", region: RegionHint("de", .source), format: .mixed),
            NormalizeWire.Request(phone: "", region: nil, format: .international),
        ]
        let decoded = try NormalizeWire.decodeRequests(Array(NormalizeWire.encode(requests).dropFirst(4)))
        #expect(decoded.map(\.phone) == requests.map(\.phone))
        #expect(decoded.map(\.region) == requests.map(\.region))
        #expect(decoded.map(\.format) == requests.map(\.format))

        let phones = requests.map { normalizer.normalize($0.phone, region: $0.region, format: $0.format) }
        #expect(Set(phones.compactMap(\.rejection)).count >= 1)
        #expect(phones.contains { !$0.phoneExtension.isEmpty })
        #expect(phones.contains { !$0.flags.isEmpty })
        let answer = NormalizeWire.Answer(phones: phones, libraryCalls: 7, cacheHits: 3)
        let back = try NormalizeWire.decodeAnswer(Array(NormalizeWire.encode(answer).dropFirst(4)))
        #expect(back.phones == phones)
        #expect(back.libraryCalls == 7 && back.cacheHits == 3)
    }

    @Test func aCutFrameIsAnError() throws {
        let phones = [PhoneNormalizer().normalize("+4915123456789", region: nil, format: .mixed)]
        let frame = Array(NormalizeWire.encode(NormalizeWire.Answer(phones: phones, libraryCalls: 1, cacheHits: 0)).dropFirst(4))
        #expect(throws: ByteReader.Malformed.self) { try NormalizeWire.decodeAnswer(Array(frame.dropLast(3))) }
    }
}
