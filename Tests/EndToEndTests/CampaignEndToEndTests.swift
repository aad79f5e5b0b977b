import Foundation
import Testing
import WamigrateTestSupport

/// campaign plan → send (sandbox) → replies → import, as marketing runs it.
@Suite("End to end: re-consent campaign", .serialized)
struct CampaignEndToEndTests {
    typealias F = CampaignFixtures

    @Test func planSendRepliesAndImportMovesYesToWhatsAppReady() throws {
        let folder = TempFolder()
        let sandbox = try SandboxProcess([
            // All on WhatsApp, so only consent puts them on the reconsent list.
            "--registered",
            folder.write("registered.txt", "4915120000001\n4915120000002\n447911123456\n380671234567\n4915120000005\n"),
        ])
        let store = try F.job(
            folder,
            [
                "+49 1512 0000001,Anna,DE,,,de", "+49 1512 0000002,Ben,DE,,,", "+44 7911 123456,Cara,GB,,,en",
                "+380 67 123 4567,Dmytro,UA,,,uk", "+49 1512 0000005,Eva,DE,no,2024-01-01,de",
            ],
            viber: ["VIBERUSER1==,Vera,,DE,de,subscribed,1717200000000,"],
            verifier: [
                "--verifier", "contacts-api", "--endpoint", sandbox.url, "--user", "admin", "--password-env", "WA_PASSWORD",
                "--new-password-env", "WA_NEW_PASSWORD",
            ], environment: VerifyFixtures.password)
        var result = try F.plan(store, ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let plan = try F.json(result)
        #expect(plan["planned"] as? Int == 5)
        #expect(plan["by_channel"] as? [String: Int] == ["sms": 4, "viber": 1])
        #expect(plan["by_language"] as? [String: Int] == ["de": 3, "en": 1, "uk": 1])

        result = try F.send(store, sandbox)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sent 5"))
        let sms = try sandbox.messages(channel: "sms")
        let byNumber = Dictionary(grouping: sms) { $0["to"] as? String ?? "" }
        #expect(Set(byNumber.keys) == ["+4915120000001", "+4915120000002", "+447911123456", "+380671234567"])
        #expect(byNumber.values.allSatisfy { $0.count == 1 })
        let anna = try #require(byNumber["+4915120000001"]?.first?["body"] as? String)
        #expect(anna.contains("Antworten Sie JA") && anna.contains("https://wa.me/4930123456789?text=JA"))
        #expect(anna.contains("Example Shop") && anna.contains("STOP"))
        #expect((byNumber["+4915120000002"]?.first?["body"] as? String)?.contains("Antworten Sie JA") == true)
        #expect((byNumber["+380671234567"]?.first?["body"] as? String)?.contains("ТАК") == true)
        #expect((byNumber["+447911123456"]?.first?["body"] as? String)?.contains("Reply YES") == true)
        let viber = try #require(try sandbox.messages(channel: "viber").first)
        #expect(viber["to"] as? String == "VIBERUSER1==")
        #expect((viber["button_url"] as? String)?.hasPrefix("https://wa.me/4930123456789") == true)
        let key = try #require(viber["key"] as? String)

        let lines = [
            F.sms("SMin1", from: "+4915120000001", "ja ", at: "2026-11-23T11:00:00Z"),
            F.sms("SMin2", from: "+4915120000002", "Stop", at: "2026-11-23T11:01:00Z"),
            F.sms("SMin3", from: "+447911123456", "please stop", at: "2026-11-23T11:02:00Z"),
            F.sms("SMin4", from: "+380671234567", "СТОП", at: "2026-11-23T11:03:00Z"),
            F.viber(77, from: "VIBERUSER1==", "JA", at: 1_795_431_900_000, tracking: key),
            // Delivery receipts: a Twilio status callback and a Viber `delivered` event.
            "MessageSid=\(byNumber["+4915120000001"]?.first?["id"] as? String ?? "?")&MessageStatus=delivered",
            "{\"event\":\"delivered\",\"timestamp\":1795431000000,\"message_token\":\(viber["id"] as? String ?? "0"),\"user_id\":\"VIBERUSER1==\"}",
            "MessageSid=SMunknown&MessageStatus=delivered",
        ]
        result = try F.replies(folder, store, lines)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("new messages: opt_in 2, opt_out 2, other 1"))
        #expect(result.stdout.contains("statuses applied 2, unmatched 1"))
        // The same file again appends nothing.
        let ledger = try JobReader(store).store
        let events = try ledger.consentEvents().count
        result = try F.replies(folder, store, lines)
        #expect(result.stdout.contains("5 already ingested"), "\(result.stdout)")
        #expect(try ledger.consentEvents().count == events)

        result = try Binary.run(["campaign", "status", "--store", store, "--name", "wa_move", "--json"])
        let total = try #require(try F.json(result)["total"] as? [String: Any])
        #expect(total["replied_yes"] as? Int == 2)
        #expect(total["replied_no"] as? Int == 2)
        #expect(total["replied_other"] as? Int == 1)
        #expect(total["delivered"] as? Int == 2)

        result = try Binary.run(["import", "--store", store, "--out", folder.file("out")])
        #expect(result.status == 0, "\(result.stderr)")
        let ready = try CSVTable(path: folder.file("out/whatsapp_ready.csv"))
        let row = try #require(ready.rows.first { $0["e164"] == "+4915120000001" })
        #expect(row["consent_source"] == "campaign_reply:sms")
        #expect(row["consent_wording_version"] == "2026-11-de-1")
        #expect(row["consent_evidence"]?.contains("SMin1") == true)
        let rejected = try CSVTable(path: folder.file("out/rejected.csv"))
        for number in ["+4915120000002", "+380671234567", "+4915120000005"] {
            #expect(rejected.rows.contains { $0["e164"] == number && $0["reason"] == "opted_out" }, "\(number)")
        }
        let reconsent = try CSVTable(path: folder.file("out/reconsent.csv"))
        #expect(reconsent.rows.contains { $0["e164"] == "+447911123456" })

        result = try Binary.run(["trace", "+49 1512 0000001", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("opt_in via campaign_reply:sms at 2026-11-23T11:00:00Z, keyword JA, campaign wa_move"))
        #expect(result.stdout.contains("consent now: opted_in; counts for WhatsApp: opted_in"))
        #expect(!result.stdout.contains("+4915120000002"))
        _ = sandbox.stop()
    }

    /// The ledger is the one source of consent: a STOP by reply shows in `export`'s
    /// contacts.csv, in what verify would check, and in the lists, not only in import.
    @Test func aCampaignStopThenExportShowsTheContactOptedOutEverywhere() throws {
        let folder = TempFolder()
        let store = try F.job(
            folder, ["+49 1512 0000021,Paula,DE,yes,2024-01-01,de", "+49 1512 0000022,Quinn,DE,yes,2024-01-01,de"])
        var result = try F.replies(folder, store, [F.sms("SMx", from: "+4915120000021", "STOP", at: "2026-11-22T10:00:00Z")])
        #expect(result.status == 0, "\(result.stderr)")
        result = try Binary.run(["export", "--store", store, "--out", folder.file("export")])
        #expect(result.status == 0, "\(result.stderr)")
        let contacts = try CSVTable(path: folder.file("export/contacts.csv"))
        #expect(contacts.rows.first { $0["e164"] == "+4915120000021" }?["consent"] == "opted_out", "\(contacts.rows)")
        #expect(contacts.rows.first { $0["e164"] == "+4915120000022" }?["consent"] == "opted_in")
        // The store's contact itself, not only the exported file, is opted out.
        #expect(try JobReader(store).contacts().filter { $0.e164 == "+4915120000021" }.map(\.consent) == ["opted_out"])
        result = try Binary.run(["import", "--store", store, "--out", folder.file("out")])
        #expect(result.status == 0, "\(result.stderr)")
        let rejected = try CSVTable(path: folder.file("out/rejected.csv"))
        #expect(rejected.rows.contains { $0["e164"] == "+4915120000021" && $0["consent"] == "opted_out" })
        result = try Binary.run(["trace", "+49 1512 0000021", "--store", store])
        #expect(result.stdout.contains("consent now: opted_out"), "\(result.stdout)")
    }

    @Test func anOptedOutPersonIsNeverPlannedNorSentWhateverTheOrder() throws {
        let folder = TempFolder()
        let rows = (1...4).map { "+49 1512 000001\($0),P\($0),DE,,," }
        let store = try F.job(folder, rows)
        // 1: STOP before the plan.
        var result = try F.replies(folder, store, [F.sms("SMa", from: "+4915120000011", "STOP", at: "2026-11-22T10:00:00Z")])
        #expect(result.status == 0, "\(result.stderr)")
        result = try F.plan(store, ["--json"])
        let plan = try F.json(result)
        #expect(plan["planned"] as? Int == 3)
        #expect(plan["excluded"] as? [String: Int] == ["opted_out": 1])
        // 2: a localized STOP after the plan, before the send; 3: the gateway says unsubscribed.
        result = try F.replies(
            folder, store, [F.sms("SMb", from: "+4915120000012", "stopp", at: "2026-11-23T07:00:00Z")], name: "r2.jsonl")
        #expect(result.status == 0)
        let sandbox = try SandboxProcess(["--sms-unsubscribed", "+4915120000013"])
        result = try F.send(store, sandbox, now: "2026-11-23T10:00:00Z")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sent 1; failed: unsubscribed 1; suppressed: opted_out 1"))
        let sent = try sandbox.messages(channel: "sms").compactMap { $0["to"] as? String }
        #expect(sent == ["+4915120000014"])
        let unsubscribed = try JobReader(store).store.consentEvents().filter {
            $0.address == "+4915120000013" && $0.method == .gatewayUnsubscribed
        }
        #expect(unsubscribed.count == 1)
        // An old export that says opted in (dated before the STOP) does not bring anyone back.
        let old = folder.write(
            "old.csv",
            "phone,name,consent,consent_date\n+49 1512 0000011,P1,yes,2020-01-01\n+49 1512 0000013,P3,yes,2021-06-01\n")
        result = try Binary.run([
            "run", "--store", store, "--default-region", "DE", "--verifier", "none", "--mapping", "generic",
            folder.file("sms.csv"), "--mapping", "generic", old, "--out", folder.file("out"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rejected = try CSVTable(path: folder.file("out/rejected.csv"))
        for number in ["+4915120000011", "+4915120000012", "+4915120000013"] {
            #expect(rejected.rows.contains { $0["e164"] == number && $0["reason"] == "opted_out" }, "\(number)")
        }
        // A second campaign leaves all three out.
        result = try F.plan(store, name: "wa_move_2", ["--json"])
        #expect(try F.json(result)["planned"] as? Int == 1)
        result = try F.send(store, sandbox, name: "wa_move_2", now: "2026-11-23T10:00:00Z")
        let again = try sandbox.messages(channel: "sms").compactMap { $0["to"] as? String }
        #expect(again == ["+4915120000014", "+4915120000014"])
        _ = sandbox.stop()
    }

    @Test func aStopAfterAYesWinsAndOnlyALaterExplicitYesUndoesAStop() throws {
        let folder = TempFolder()
        let store = try F.job(folder, (1...3).map { "+49 1512 000002\($0),Q\($0),DE,,," })
        #expect(try F.plan(store).status == 0)
        let sandbox = try SandboxProcess()
        #expect(try F.send(store, sandbox).status == 0)
        // File order is not time order: the replies' own times decide.
        let result = try F.replies(
            folder, store,
            [
                F.sms("q1b", from: "+4915120000021", "STOP", at: "2026-11-23T11:05:00Z"),
                F.sms("q1a", from: "+4915120000021", "YES", at: "2026-11-23T11:00:00Z"),
                F.sms("q2b", from: "+4915120000022", "START", at: "2026-11-23T11:05:00Z"),
                F.sms("q2a", from: "+4915120000022", "STOP", at: "2026-11-23T11:00:00Z"),
                F.sms("q3a", from: "+4915120000023", "YES", at: "2026-11-23T11:00:00Z"),
                F.sms("q3b", from: "+4915120000023", "STOP", at: "2026-11-23T11:00:00Z"),
            ])
        #expect(result.status == 0, "\(result.stderr)")
        func state(_ number: String) throws -> String {
            let trace = try F.json(try Binary.run(["trace", number, "--store", store, "--json"]))
            return trace["consent"] as? String ?? "?"
        }
        #expect(try state("+4915120000021") == "opted_out")
        #expect(try state("+4915120000022") == "opted_in")
        #expect(try state("+4915120000023") == "opted_out", "a STOP at the same second as a YES wins")
        _ = sandbox.stop()
    }

    /// Starts `campaign send`, and SIGKILLs it once the sandbox has received `count` messages
    /// (the sandbox answers after `--message-delay`, so the kill lands mid-request).
    func killSend(_ store: String, _ sandbox: SandboxProcess, afterReceiving count: Int) throws -> Int {
        let process = try Binary.start(F.sendArguments(store, sandbox, now: "2026-11-23T10:00:00Z"), environment: F.env)
        var received = 0
        for _ in 0..<200 where received < count {
            Thread.sleep(forTimeInterval: 0.05)
            received = try sandbox.messages().count
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return received
    }

    @Test func aCrashDuringSendThenARerunSendsEveryMessageExactlyOnce() throws {
        let folder = TempFolder()
        let numbers = (10..<22).map { "+49151200000\($0)" }
        let store = try F.job(folder, numbers.map { "\($0),X,DE,,," })
        #expect(try F.plan(store).status == 0)
        let sandbox = try SandboxProcess(["--message-delay", "0.3"])
        // The sandbox has the 4th request and has not answered yet: the kill lands mid-request.
        let received = try killSend(store, sandbox, afterReceiving: 4)
        #expect(received >= 4)
        func states() throws -> [String: Int] { try ToolReadout.campaign(store, "wa_move")["total"]["states"].counts }
        #expect(try states()["sending"] == 1)
        let result = try F.send(store, sandbox)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("answers lost (a crash or the network): 1 found sent"))
        let sent = try sandbox.messages(channel: "sms").compactMap { $0["to"] as? String }
        #expect(sent.count == numbers.count)
        #expect(Set(sent) == Set(numbers))
        #expect(try states()["sent"] == numbers.count)
        _ = sandbox.stop()
    }

    @Test func aSecondSenderForTheSameCampaignIsRefused() throws {
        let folder = TempFolder()
        let store = try F.job(folder, (10..<16).map { "+49151200000\($0),X,DE,,," })
        #expect(try F.plan(store).status == 0)
        let sandbox = try SandboxProcess(["--message-delay", "0.3"])
        let first = try Binary.start(F.sendArguments(store, sandbox, now: "2026-11-23T10:00:00Z"), environment: F.env)
        for _ in 0..<200 where try sandbox.messages().isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        let second = try F.send(store, sandbox)
        #expect(second.status == 75)
        #expect(second.stderr.contains("E_STORE_BUSY: another wamigrate command is writing this store: pid"))
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let to = try sandbox.messages().compactMap { $0["to"] as? String }
        #expect(to.count == 6 && Set(to).count == 6)
        _ = sandbox.stop()
    }

    @Test func aViberMessageCaughtMidRequestIsHeldInDoubtNotSentTwice() throws {
        let folder = TempFolder()
        let users = (1...6).map { "VUSER\($0)==" }
        let store = try F.job(folder, [], viber: users.map { "\($0),V,,DE,de,subscribed,1717200000000," })
        #expect(try F.plan(store).status == 0)
        let sandbox = try SandboxProcess(["--message-delay", "0.3"])
        _ = try killSend(store, sandbox, afterReceiving: 3)
        var result = try F.send(store, sandbox)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("in doubt: 1"))
        let doubtful = try JobReader(store).store.campaignMessages("wa_move", state: .inDoubt)
        #expect(doubtful.count == 1 && doubtful.allSatisfy { $0.channel == .viber }, "\(doubtful.map(\.address))")
        let to = try sandbox.messages(channel: "viber").compactMap { $0["to"] as? String }
        #expect(Set(to) == Set(users), "every planned message went out")
        #expect(to.count == users.count, "and none twice")
        // Held, not resent, on the next run too.
        result = try F.send(store, sandbox)
        #expect(try sandbox.messages(channel: "viber").count == users.count)
        _ = sandbox.stop()
    }

    @Test func answersLostAfterTheGatewayTookTheMessageAreLookedUpOrHeldNeverSentTwice() throws {
        let folder = TempFolder()
        let numbers = (10..<40).map { "+49151200000\($0)" }
        let users = (1...20).map { "VUSER\($0)==" }
        let store = try F.job(
            folder, numbers.map { "\($0),X,DE,,," }, viber: users.map { "\($0),V,,DE,de,subscribed,1717200000000," })
        #expect(try F.plan(store).status == 0)
        let sandbox = try SandboxProcess([
            "--faults", "drop=0.15,504=0.15,500=0.05,reset=0.05", "--fault-routes", "sms,viber", "--seed", "3",
        ])
        func states(_ channel: String? = nil) throws -> [String: Int] {
            let status = try ToolReadout.campaign(store, "wa_move")
            return (channel.map { status["by_channel"][$0] } ?? status["total"])["states"].counts
        }
        var last = try F.send(store, sandbox)
        for _ in 0..<8 where try states()["planned", default: 0] + states()["sending", default: 0] > 0 {
            last = try F.send(store, sandbox)
        }
        #expect(last.status == 0, "\(last.stderr)")
        let taken = try sandbox.fault("drop") + sandbox.fault("504")
        #expect(taken > 2)
        // SMS: looked up in the provider's message list, so each number got exactly one.
        let sms = try sandbox.messages(channel: "sms").compactMap { $0["to"] as? String }
        #expect(Set(sms) == Set(numbers) && sms.count == numbers.count, "\(sms.count) SMS to \(Set(sms).count) numbers")
        // Viber has no such list: a lost answer is held in doubt, never sent twice.
        let viber = try sandbox.messages(channel: "viber").compactMap { $0["to"] as? String }
        #expect(viber.count == Set(viber).count, "no Viber user got two")
        let held = try states("viber")["in_doubt", default: 0]
        let sentViber = try states("viber")["sent", default: 0]
        #expect(held + sentViber == 20)
        #expect(held > 0)
        _ = sandbox.stop()
    }
}
