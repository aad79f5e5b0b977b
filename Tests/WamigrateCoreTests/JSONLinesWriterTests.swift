import Foundation
import Testing
import WamigrateBase
import WamigrateTestSupport

@testable import WamigrateCore

/// The lists' streaming JSON Lines writer gives the bytes Foundation's serializer gave
/// (sorted keys, unescaped slashes), line for line, on values that need escaping.
@Suite("JSON Lines writer")
struct JSONLinesWriterTests {
    static let keys = ["list", "contact_id", "e164", "wa_id", "name", "b", "a"]
    static let values: [[String?]] = [
        ["reconsent", "c1", "+4915123456789", nil, "Anna \"Ann\" Adler", "", "x"],
        ["rejected", nil, nil, nil, "back\\slash/and/slashes", "tab\there", "new\nline\r"],
        [
            "whatsapp_ready", "c2", "+380501234567", "380501234567", "Олена 🙂 Ødegaard", "\u{01}\u{1F}\u{7F}",
            "\u{2028}\u{0C}\u{08}",
        ],
        [nil, nil, nil, nil, nil, nil, nil],
    ]

    @Test func bytesEqualFoundationsSerializer() throws {
        let folder = TempFolder()
        let writer = try JSONLinesWriter(path: folder.file("out.jsonl"), keys: Self.keys)
        for row in Self.values { writer.write(row) }
        try writer.finish()
        let lines = folder.read("out.jsonl").split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == Self.values.count)
        for (line, row) in zip(lines, Self.values) {
            let object = Dictionary(uniqueKeysWithValues: zip(Self.keys, row.map { $0.map { $0 as Any } ?? NSNull() }))
            let expected = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            #expect(String(line) == String(decoding: expected, as: UTF8.self))
            let decoded = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(decoded?["name"] as? String == row[4])
        }
    }
}
