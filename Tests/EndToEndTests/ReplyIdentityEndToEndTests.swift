import Foundation
import Testing
import WamigrateTestSupport

private typealias F = CampaignFixtures

/// A provider's message id is a claim, not a key to trust alone: a message is the same
/// message only when its sender, id, time and body are the same. A different person's
/// reply is never dropped as "already ingested", and a line that cannot be read is
/// refused with its file and line, never half-read.
@Suite("End to end: reply identity")
struct ReplyIdentityEndToEndTests {
    static let people = ["+49 1512 0000031,Rita,DE,yes,2024-01-01,de", "+49 1512 0000032,Sven,DE,yes,2024-01-01,de"]

    @Test func aRepeatedMessageSidFromAnotherPersonStillRecordsTheirStop() throws {
        let folder = TempFolder()
        let store = try F.job(folder, Self.people)
        let lines = [
            F.sms("SMdup", from: "+4915120000031", "Hallo", at: "2026-11-22T10:00:00Z"),
            F.sms("SMdup", from: "+4915120000032", "STOP", at: "2026-11-22T10:01:00Z"),
        ]
        var result = try F.replies(folder, store, lines)
        #expect(result.status == 0, "\(result.stderr)")
        result = try Binary.run(["import", "--store", store, "--out", folder.file("out")])
        #expect(result.status == 0, "\(result.stderr)")
        let rejected = try CSVTable(path: folder.file("out/rejected.csv"))
        #expect(rejected.rows.contains { $0["e164"] == "+4915120000032" && $0["consent"] == "opted_out" }, "\(rejected.rows)")
        // The same file again is the same messages: nothing new.
        result = try F.replies(folder, store, lines)
        #expect(result.status == 0)
        #expect(result.stdout.contains("2 already ingested"), "\(result.stdout)")
    }

    @Test func anEmptyMessageSidIsRefusedWithItsLine() throws {
        let folder = TempFolder()
        let store = try F.job(folder, Self.people)
        let lines = [
            F.sms("SMok", from: "+4915120000031", "Hallo", at: "2026-11-22T10:00:00Z"),
            "MessageSid=&From=%2B4915120000032&Body=STOP",
        ]
        let result = try F.replies(folder, store, lines)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("replies.jsonl:2"), "\(result.stderr)")
        #expect(!result.stderr.contains("4915120000032"), "no number in the error")
    }

    @Test("a stop in any Body value wins; a repeated From or a NUL is refused")
    func ambiguousFormsAreNotReadAsConsent() throws {
        let folder = TempFolder()
        let store = try F.job(folder, Self.people)
        var result = try F.replies(
            folder, store, ["MessageSid=SM1&From=%2B4915120000031&Body=STOP&Body=YES&Timestamp=2026-11-22T10%3A00%3A00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        result = try Binary.run(["import", "--store", store, "--out", folder.file("out")])
        let rejected = try CSVTable(path: folder.file("out/rejected.csv"))
        #expect(rejected.rows.contains { $0["e164"] == "+4915120000031" && $0["consent"] == "opted_out" }, "\(rejected.rows)")

        for (index, line) in [
            "MessageSid=SM2&From=%2B4915120000031&From=%2B4915120000032&Body=STOP",
            "MessageSid=SM3&From=%2B4915120000032&Body=ST%00OP",
        ].enumerated() {
            let refused = try F.replies(folder, store, [line], name: "bad\(index).jsonl")
            #expect(refused.status == 65, "\(line): \(refused.stderr)")
            #expect(refused.stderr.contains("bad\(index).jsonl:1"), "\(refused.stderr)")
        }
    }

    @Test func whatsAppStopsWithEmptyMissingOrRepeatedIdsAllReachTheLedger() throws {
        let folder = TempFolder()
        let store = try F.job(folder, (1...6).map { "+49 1512 000004\($0),P\($0),DE,yes,2024-01-01,de" })
        func body(_ from: String, id: String?) -> String {
            let idField = id.map { #""id":"\#($0)","# } ?? ""
            return
                #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"1"},"messages":[{"from":"\#(from)",\#(idField)"timestamp":"1900000000","type":"text","text":{"body":"STOP"}}]}}]}]}"#
        }
        let lines = [
            body("4915120000041", id: ""), body("4915120000042", id: ""), body("4915120000043", id: nil),
            body("4915120000044", id: nil), body("4915120000045", id: "wamid.same"), body("4915120000046", id: "wamid.same"),
        ]
        let file = folder.write("stops.jsonl", lines.joined(separator: "\n") + "\n")
        var result = try Binary.run(["webhook", "ingest", "--store", store, file])
        #expect(result.status == 0, "\(result.stderr)")
        result = try Binary.run(["import", "--store", store, "--out", folder.file("out")])
        #expect(result.status == 0, "\(result.stderr)")
        let rejected = try CSVTable(path: folder.file("out/rejected.csv"))
        for n in 1...6 {
            #expect(
                rejected.rows.contains { $0["e164"] == "+491512000004\(n)" && $0["consent"] == "opted_out" }, "person \(n)")
        }
    }
}
