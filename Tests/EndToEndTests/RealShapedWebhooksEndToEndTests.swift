import Foundation
import Testing
import WamigrateTestSupport

/// Webhook bodies shaped as the platform documents them (contracts §8.5, §9.1, §9.3, §9.4),
/// written for this test rather than taken from the sandbox, through the receiver: every
/// one is understood, and the BSUID is kept from every place it appears.
@Suite("End to end: real-shaped webhooks through the receiver")
struct RealShapedWebhooksEndToEndTests {
    static func envelope(_ field: String, _ value: String) -> String {
        #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1900000000,"changes":[{"field":"\#(field)","value":\#(value)}]}]}"#
    }

    static let metadata =
        #""messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001234","phone_number_id":"1234"}"#

    /// `person` is a job contact's digits; `stranger` a BSUID-only user.
    static func bodies(person: String, other: String) -> [String] {
        let m = metadata
        return [
            // A status with the BSUID only in contacts[] (pricing as billed since 2025-07).
            envelope(
                "messages",
                #"{\#(m),"contacts":[{"profile":{"name":"Anna"},"wa_id":"\#(person)","user_id":"DE.Anna1"}],"statuses":[{"id":"wamid.A1","status":"sent","timestamp":"1900000001","recipient_id":"\#(person)","pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"utility"}}]}"#
            ),
            // A read status with the BSUID and the parent BSUID on the status itself.
            envelope(
                "messages",
                #"{\#(m),"statuses":[{"id":"wamid.A1","status":"read","timestamp":"1900000009","recipient_id":"\#(person)","recipient_user_id":"DE.Anna1","recipient_parent_user_id":"DE.ENT.Parent1"}]}"#
            ),
            // A failed status: no contacts array, errors with message and href.
            envelope(
                "messages",
                #"{\#(m),"statuses":[{"id":"wamid.B1","status":"failed","timestamp":"1900000002","recipient_id":"\#(other)","errors":[{"code":131026,"title":"Message undeliverable","message":"Message undeliverable","error_data":{"details":"Message Undeliverable."},"href":"https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]}]}"#
            ),
            // A text message from a user whose number is withheld: no from, no wa_id.
            envelope(
                "messages",
                #"{\#(m),"contacts":[{"profile":{"name":"Kai","username":"@kai"},"user_id":"US.Kai9"}],"messages":[{"from_user_id":"US.Kai9","id":"wamid.T1","timestamp":"1900000003","type":"text","text":{"body":"stop"}}]}"#
            ),
            // A quick-reply button and an interactive list reply from a known number.
            envelope(
                "messages",
                #"{\#(m),"contacts":[{"profile":{"name":"Anna"},"wa_id":"\#(person)","user_id":"DE.Anna1"}],"messages":[{"from":"\#(person)","from_user_id":"DE.Anna1","id":"wamid.Q1","timestamp":"1900000004","type":"button","button":{"text":"Yes","payload":"yes"},"context":{"from":"15550001234","id":"wamid.A1"}}]}"#
            ),
            envelope(
                "messages",
                #"{\#(m),"contacts":[{"profile":{"name":"Anna"},"wa_id":"\#(person)"}],"messages":[{"from":"\#(person)","id":"wamid.L1","timestamp":"1900000005","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"later","title":"Later","description":"Ask me later"}}}]}"#
            ),
            // An image (no text to classify): understood, nothing for the ledger.
            envelope(
                "messages",
                #"{\#(m),"contacts":[{"profile":{"name":"Anna"},"wa_id":"\#(person)"}],"messages":[{"from":"\#(person)","id":"wamid.I1","timestamp":"1900000006","type":"image","image":{"id":"1","mime_type":"image/jpeg","sha256":"x","caption":"hi"}}]}"#
            ),
            // Identity changes: a new BSUID, and a new number (system messages carry no contacts).
            envelope(
                "messages",
                #"{\#(m),"messages":[{"from":"\#(person)","from_user_id":"DE.Anna2","id":"wamid.S1","timestamp":"1900000007","type":"system","system":{"body":"User changed","type":"user_changed_user_id","previous_user_id":"DE.Anna1"}}]}"#
            ),
            envelope(
                "messages",
                #"{\#(m),"messages":[{"from":"\#(other)","id":"wamid.S2","timestamp":"1900000008","type":"system","system":{"body":"User A changed from \#(other) to 4915199999999","wa_id":"4915199999999","type":"user_changed_number"}}]}"#
            ),
            // A marketing stop naming the BSUID beside the number.
            envelope(
                "user_preferences",
                #"{\#(m),"contacts":[{"profile":{"name":"Anna"},"wa_id":"\#(person)","user_id":"DE.Anna2"}],"user_preferences":[{"wa_id":"\#(person)","user_id":"DE.Anna2","detail":"User requested to stop marketing messages","category":"marketing_messages","value":"stop","timestamp":1900000010}]}"#
            ),
            // Templates: status, category, quality.
            envelope(
                "message_template_status_update",
                #"{"event":"PAUSED","message_template_id":123,"message_template_name":"wa_welcome","message_template_language":"de","reason":"NONE"}"#
            ),
            envelope(
                "template_category_update",
                #"{"message_template_id":123,"message_template_name":"wa_welcome","message_template_language":"de","previous_category":"UTILITY","new_category":"MARKETING"}"#
            ),
            envelope(
                "message_template_quality_update",
                #"{"previous_quality_score":"GREEN","new_quality_score":"YELLOW","message_template_id":123,"message_template_name":"wa_welcome","message_template_language":"de"}"#
            ),
            // Limits: the integer (2026-05) and the throughput words.
            envelope("business_capability_update", #"{"max_daily_conversations_per_business":10000}"#),
            envelope(
                "phone_number_quality_update",
                #"{"display_phone_number":"15550001234","event":"ONBOARDING","old_limit":"TIER_NOT_SET","max_daily_conversations_per_business":"TIER_2K"}"#
            ),
        ]
    }

    @Test func everyDocumentedShapeIsUnderstoodAndTheBSUIDIsKeptFromEveryPlace() throws {
        let job = try WaveJob(count: 4, notRegisteredEvery: 1000)
        let person = job.numbers[0].filter(\.isNumber)
        let other = job.numbers[2].filter(\.isNumber)
        let receiver = try job.serve()
        for body in Self.bodies(person: person, other: other) {
            #expect(try WaveJob.post(body, to: receiver, signature: WaveJob.signed(body)) == 200)
        }
        _ = receiver.output()
        let ingest = try Binary.run(["webhook", "ingest", "--store", job.store, "--json"], environment: WaveJob.env)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let reader = try JobReader(job.store)
        #expect(try reader.store.inboxBodies().count == 15)
        #expect(try reader.spooled() == 15 && reader.store.unprocessedWebhooks(limit: 1).isEmpty)
        #expect(ingest.stdout.contains("\"unreadable\" : 0"), "no documented shape is left unreadable")
        #expect(
            try reader.store.userIdentities().map { [$0.userID, $0.waID ?? "", $0.parentUserID ?? "-"] } == [
                ["DE.Anna1", person, "DE.ENT.Parent1"], ["DE.Anna2", person, "-"], ["US.Kai9", "", "-"],
            ])
        #expect(try reader.store.userIdentities().filter { $0.userID == "US.Kai9" }.map(\.username) == ["@kai"])
        #expect(
            try reader.store.identityChanges().map { [$0.kind, $0.previousUserID ?? "-", $0.waID ?? "-"] }
                == [["user_changed_user_id", "DE.Anna1", person], ["user_changed_number", "-", "4915199999999"]])
        // The status took the BSUID from contacts[]; the statuses moved on with it.
        #expect(
            try reader.store.statuses(recipients: [person]).filter { $0.wamid == "wamid.A1" }.sorted { $0.at < $1.at }
                .map(\.userID) == ["DE.Anna1", "DE.Anna1"])
        // The withheld-number STOP and the marketing stop reached the ledger.
        #expect(
            try reader.store.consentEvents().filter { $0.kind == .optOut }.map { [$0.address, $0.method.rawValue] }
                .sorted { $0[0] < $1[0] } == [
                    ["+" + person, "whatsapp_preference"], ["bsuid:US.Kai9", "keyword_reply"],
                ])
        #expect(
            try reader.store.platformLimits().map { [$0.field, String($0.tier ?? -1)] } == [
                ["business_capability_update", "10000"], ["phone_number_quality_update", "2000"],
            ])
    }
}
