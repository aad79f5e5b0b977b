import Foundation
import Testing
import WamigrateTestSupport

/// `webhook ingest`: Cloud API bodies teach registration (statuses out of order and
/// duplicated), replies and marketing stops reach the ledger, replays change nothing.
@Suite("End to end: webhook ingest")
struct WebhookEndToEndTests {
    static func body(statuses: String = "", messages: String = "", preferences: String = "") -> String {
        var value = #""messaging_product":"whatsapp","metadata":{"phone_number_id":"1234"}"#
        if !statuses.isEmpty { value += #","statuses":[\#(statuses)]"# }
        if !messages.isEmpty { value += #","messages":[\#(messages)]"# }
        if !preferences.isEmpty { value += #","user_preferences":[\#(preferences)]"# }
        return
            #"{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{\#(value)}}]}]}"#
    }

    @Test func webhooksTeachRegistrationAndConsentAndAReplayChangesNothing() throws {
        let folder = TempFolder()
        let input = VerifyFixtures.optedIn(
            folder, ["+49 1512 3456789", "+49 1512 1111111", "+49 1512 2222222", "+49 1512 4444444"])
        let store = try VerifyFixtures.prepare(folder, input: input)
        let lines = [
            // "read" before "delivered", and a duplicate: the number is on WhatsApp, with its BSUID.
            Self.body(
                statuses:
                    #"{"id":"wamid.1","status":"read","timestamp":"1700000009","recipient_id":"4915123456789","recipient_user_id":"DE.abc123"}"#
            ),
            Self.body(
                statuses: #"{"id":"wamid.1","status":"delivered","timestamp":"1700000005","recipient_id":"4915123456789"}"#),
            Self.body(
                statuses: #"{"id":"wamid.1","status":"delivered","timestamp":"1700000005","recipient_id":"4915123456789"}"#),
            // One 131026: evidence only.
            Self.body(
                statuses:
                    #"{"id":"wamid.2","status":"failed","timestamp":"1700000001","recipient_id":"4915121111111","errors":[{"code":131026,"title":"Message undeliverable"}]}"#
            ),
            // A STOP reply and a marketing stop.
            Self.body(
                messages:
                    #"{"from":"4915122222222","id":"wamid.in1","timestamp":"1700000100","type":"text","text":{"body":"STOP"}}"#),
            Self.body(
                preferences:
                    #"{"wa_id":"4915124444444","detail":"User requested to stop marketing messages","category":"marketing_messages","value":"stop","timestamp":1700000200}"#
            ),
        ]
        let file = folder.write("webhooks.jsonl", lines.joined(separator: "\n") + "\n")

        let first = try Binary.run(["webhook", "ingest", "--store", store, file, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let reader = try JobReader(store)
        let summary = try ToolJSON(output: first)
        #expect(summary["read"].int == 6 && summary["stored"].int == 5, "the duplicate body is kept once: \(summary)")
        #expect(try reader.store.inboxBodies().count == 5, "the duplicate body is kept once")
        let answered = try reader.registration("+4915123456789")
        #expect(
            answered.map { "\($0.status.rawValue) \($0.waID ?? "-") \($0.userID ?? "-")" }
                == "on_whatsapp 4915123456789 DE.abc123")
        #expect(try reader.registration("+4915121111111")?.status == .unknown)
        func events() throws -> [String] {
            try reader.store.consentEvents().filter { $0.method != .export }
                .map { "\($0.address) \($0.kind.rawValue) \($0.method.rawValue)" }.sorted()
        }
        #expect(
            try events() == [
                "+4915122222222 opt_out keyword_reply", "+4915124444444 opt_out whatsapp_preference",
            ])

        let again = try Binary.run(["webhook", "ingest", "--store", store, file, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\"redeliveries\" : 6"), "\(again.stdout)")
        #expect(try ToolJSON(output: again)["stored"].int == 0, "\(again.stdout)")
        #expect(try reader.store.inboxBodies().count == 5)
        #expect(try events().count == 2, "a replay appends nothing to the ledger")

        // import moves people on this evidence: on WhatsApp but opted in from an export only counts
        // under the default policy; who typed STOP is never on a list that is messaged, while a
        // marketing stop blocks MARKETING templates only (contracts §9.4): not rejected.
        let imported = try Binary.run(["import", "--store", store, "--out", folder.file("out")])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            try CSVTable(path: folder.file("out/rejected.csv")).rows.filter { !($0["contact_id"] ?? "").isEmpty }
                .map { $0["e164"] ?? "" }.sorted() == ["+4915122222222"])

        let bad = folder.write("bad.jsonl", Self.body() + "\n{\"not\":\"a webhook\"}\n")
        let refused = try Binary.run(["webhook", "ingest", "--store", store, bad])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("bad.jsonl:2:1"))
        #expect(try reader.store.inboxBodies().count == 5, "a bad file stores nothing")
        // Its good line, ingested alone afterwards, is new to the job.
        let alone = try Binary.run([
            "webhook", "ingest", "--store", store, folder.write("alone.jsonl", Self.body() + "\n"), "--json",
        ])
        #expect(try ToolJSON(output: alone)["stored"].int == 1, "\(alone.stdout)")
    }
}
