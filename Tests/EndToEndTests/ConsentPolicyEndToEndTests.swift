import Foundation
import Testing
import WamigrateTestSupport

/// Which consent sources count for WhatsApp, and the other reply sources.
@Suite("End to end: consent policy and reply sources", .serialized)
struct ConsentPolicyEndToEndTests {
    typealias F = CampaignFixtures

    @Test func thePolicySaysWhetherAnSMSOptInCountsForWhatsApp() throws {
        let folder = TempFolder()
        let sandbox = try SandboxProcess(["--registered", folder.write("registered.txt", "4915120000071\n")])
        let store = try F.job(
            folder, ["+49 1512 0000071,A,DE,yes,2025-01-01,de"],
            verifier: [
                "--verifier", "contacts-api", "--endpoint", sandbox.url, "--user", "admin", "--password-env", "WA_PASSWORD",
                "--new-password-env", "WA_NEW_PASSWORD",
            ], environment: VerifyFixtures.password)
        // Default policy: the export's dated opt-in counts, and is the evidence.
        var result = try Binary.run(["import", "--store", store, "--out", folder.file("a")])
        #expect(result.status == 0, "\(result.stderr)")
        let ready = try CSVTable(path: folder.file("a/whatsapp_ready.csv"))
        #expect(ready.rows.first?["consent_source"] == "export:sms")
        #expect(ready.rows.first?["consent_at"] == "2025-01-01T00:00:00Z")
        #expect(ready.rows.first?["consent_evidence"] == "sms:1")
        // Only replies to a campaign count: the same person needs re-consent, and says why.
        let config = folder.write("job.yml", "consent:\n  whatsapp_sources: [campaign_reply]\n")
        result = try Binary.run(["import", "--store", store, "--out", folder.file("b"), "--config", config])
        #expect(result.status == 0, "\(result.stderr)")
        let reconsent = try CSVTable(path: folder.file("b/reconsent.csv"))
        #expect(reconsent.rows.first?["reason"] == "consent_source_not_counted")
        #expect(try CSVTable(path: folder.file("b/whatsapp_ready.csv")).rows.isEmpty)
        // The flag does the same, and a campaign plan with that policy picks the person up.
        result = try Binary.run(["import", "--store", store, "--whatsapp-consent", "campaign_reply"])
        #expect(result.stdout.contains("reconsent 1"), "\(result.stdout)")
        #expect(try F.json(try F.plan(store, ["--whatsapp-consent", "campaign_reply", "--json"]))["planned"] as? Int == 1)
        // A source the tool does not know is refused.
        result = try Binary.run(["import", "--store", store, "--whatsapp-consent", "export:fax"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("unknown consent source 'export:fax'"))
        _ = sandbox.stop()
    }

    @Test func aTwilioCSVExportAndAViberUnsubscribeAreReadAsReplies() throws {
        let folder = TempFolder()
        let store = try F.job(
            folder, ["+49 1512 0000081,A,DE,,,", "+49 1512 0000082,B,DE,,,"],
            viber: ["VUNSUB1==,V,,DE,de,subscribed,1717200000000,"])
        #expect(try F.plan(store).status == 0)
        let sandbox = try SandboxProcess()
        #expect(try F.send(store, sandbox).status == 0)
        let csv = folder.write(
            "log.csv",
            """
            From,To,Body,Status,SentDate,ApiVersion,NumSegments,ErrorCode,AccountSid,Sid,Direction,Price,PriceUnit
            +4915799990000,+4915120000081,Hello,delivered,11/23/2025 09:00:00,2010-04-01,1,,AC1,SMout1,outbound-api,,
            +4915120000081,+4915799990000,yes,received,11/23/2026 11:00:00,2010-04-01,1,,AC1,SMcsv1,inbound,,
            +4915120000082,+4915799990000,Was ist das?,received,11/23/2026 11:01:00,2010-04-01,1,,AC1,SMcsv2,inbound,,

            """)
        var result = try Binary.run(["campaign", "replies", "--store", store, "--from", csv])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("new messages: opt_in 1, other 1"))
        #expect(result.stdout.contains("outbound rows skipped 1"))
        result = try F.replies(
            folder, store,
            ["{\"event\":\"unsubscribed\",\"timestamp\":1795431000000,\"user_id\":\"VUNSUB1==\",\"message_token\":9}"])
        #expect(result.status == 0, "\(result.stderr)")
        let trace = try F.json(try Binary.run(["trace", "viber:VUNSUB1==", "--store", store, "--json"]))
        #expect(trace["consent"] as? String == "opted_out")
        let csvTrace = try F.json(try Binary.run(["trace", "+4915120000081", "--store", store, "--json"]))
        let ledger = try #require(csvTrace["ledger"] as? [[String: Any]])
        #expect(ledger.contains { $0["method"] as? String == "campaign_reply" && $0["at"] as? Int == 1_795_431_600 })
        // A CSV without the columns replies need names what is missing.
        let bad = folder.write("bad.csv", "Number,Text\n+4915120000081,STOP\n")
        result = try Binary.run(["campaign", "replies", "--store", store, "--from", bad])
        #expect(result.status == 65)
        #expect(result.stderr.contains("bad.csv:1:1: E_INPUT_CSV: a replies CSV needs From, Body and Sid columns"))
        _ = sandbox.stop()
    }
}
