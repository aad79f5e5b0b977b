import Foundation
import Testing
import WamigrateTestSupport

/// The WhatsApp of 2026 (contracts §9): users whose number the webhook withholds (only a
/// business-scoped user id), and marketing stops that block MARKETING only.
@Suite("End to end: BSUID identities and consent per category", .serialized)
struct IdentityAndCategoryEndToEndTests {
    /// A body with `contacts` beside its statuses or messages, as real webhooks carry them.
    static func body(contacts: String, statuses: String = "", messages: String = "") -> String {
        var value = #""messaging_product":"whatsapp","metadata":{"phone_number_id":"1234"},"contacts":[\#(contacts)]"#
        if !statuses.isEmpty { value += #","statuses":[\#(statuses)]"# }
        if !messages.isEmpty { value += #","messages":[\#(messages)]"# }
        return
            #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{\#(value)}}]}]}"#
    }

    @Test func aStopFromAUserWithoutAVisibleNumberNeverLetsALaterWaveMessageReachThem() throws {
        let job = try WaveJob(count: 6, notRegisteredEvery: 1000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver)
        try job.submitTemplate(sandbox)
        #expect(try job.plan(["--param", "1=name"]).status == 0)
        let person = job.numbers[3].filter(\.isNumber)
        let bsuid = "DE.Kq81XwZ0pLmN3"
        // The STOP comes first, with no `from` and no `wa_id`: only the BSUID and a username.
        let stop = Self.body(
            contacts: #"{"profile":{"name":"Anna","username":"@anna.k"},"user_id":"\#(bsuid)"}"#,
            messages:
                #"{"from_user_id":"\#(bsuid)","id":"wamid.in1","timestamp":"1900000000","type":"text","text":{"body":"STOP"}}"#)
        #expect(try WaveJob.post(stop, to: receiver, signature: WaveJob.signed(stop)) == 200)
        // Later a status links the BSUID to the number, in `contacts[].user_id` only.
        let link = Self.body(
            contacts: #"{"profile":{"name":"Anna"},"wa_id":"\#(person)","user_id":"\#(bsuid)"}"#,
            statuses: #"{"id":"wamid.old1","status":"read","timestamp":"1900000100","recipient_id":"\#(person)"}"#)
        #expect(try WaveJob.post(link, to: receiver, signature: WaveJob.signed(link)) == 200)

        let send = try Binary.run(job.sendArguments(sandbox, ["--json"]), environment: WaveJob.env)
        #expect(send.status == 0, "\(send.stderr)")
        let received = try WaveJob.received(sandbox)
        #expect(received[person] == nil, "the person who sent STOP without a visible number got the wave")
        #expect(received.count == 5)
        let reader = try JobReader(job.store)
        #expect(try reader.store.consentEvents().filter { $0.kind == .optOut }.map(\.address) == ["bsuid:" + bsuid])
        #expect(
            try reader.store.userIdentities().filter { $0.userID == bsuid }.map { [$0.waID ?? "", $0.username ?? "null"] } == [
                ["", "@anna.k"], [person, "null"],
            ])
        // The bulk decisions see it too: a later plan leaves the person out, import rejects them.
        let later = try Binary.run([
            "wave", "plan", "--store", job.store, "--name", "later", "--template", "wa_welcome", "--language", "de",
            "--list", "reconsent", "--param", "1=name", "--json", "--dry-run",
        ])
        #expect(later.stdout.contains("\"opted_out\" : 1"), "\(later.stdout)")
        #expect(try Binary.run(["import", "--store", job.store, "-o", job.folder.file("lists")]).status == 0)
        #expect(try Self.rejectedContacts(job.folder.file("lists")) == ["+" + person])
        // trace shows the STOP among the person's history.
        let trace = try Binary.run(["trace", "--store", job.store, "+" + person])
        #expect(trace.stdout.contains("opt_out via keyword_reply:whatsapp") && trace.stdout.contains("wamid.in1"))
        _ = receiver.output()
    }

    /// A status links the number to BSUID A; the user later changes to BSUID B (a system message
    /// that names no number) and sends STOP as B. The bulk decisions (plan, import) follow A → B.
    @Test func aStopUnderAChangedUserIDReachesTheBulkDecisions() throws {
        let job = try WaveJob(count: 4, notRegisteredEvery: 1000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver)
        try job.submitTemplate(sandbox)
        let person = job.numbers[2].filter(\.isNumber)
        let bodies = [
            Self.body(
                contacts: #"{"profile":{"name":"Ben"},"wa_id":"\#(person)","user_id":"AT.first1"}"#,
                statuses: #"{"id":"wamid.old2","status":"read","timestamp":"1900000100","recipient_id":"\#(person)"}"#),
            Self.body(
                contacts: #"{"profile":{"name":"Ben"},"user_id":"AT.second2"}"#,
                messages:
                    #"{"from_user_id":"AT.second2","id":"wamid.sys2","timestamp":"1900000200","type":"system","system":{"body":"User changed","type":"user_changed_user_id","previous_user_id":"AT.first1"}}"#
            ),
            Self.body(
                contacts: #"{"profile":{"name":"Ben"},"user_id":"AT.second2"}"#,
                messages:
                    #"{"from_user_id":"AT.second2","id":"wamid.in2","timestamp":"1900000300","type":"text","text":{"body":"STOP"}}"#
            ),
        ]
        for body in bodies { #expect(try WaveJob.post(body, to: receiver, signature: WaveJob.signed(body)) == 200) }
        _ = try Binary.run(["webhook", "ingest", "--store", job.store], environment: WaveJob.env)

        let plan = try job.plan(["--param", "1=name", "--json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("\"opted_out\" : 1"), "the plan did not follow the user id change: \(plan.stdout)")
        #expect(try Binary.run(["import", "--store", job.store, "-o", job.folder.file("lists")]).status == 0)
        #expect(try Self.rejectedContacts(job.folder.file("lists")) == ["+" + person])
        #expect(try Binary.run(job.sendArguments(sandbox), environment: WaveJob.env).status == 0)
        #expect(try WaveJob.received(sandbox)[person] == nil)
        #expect(try WaveJob.received(sandbox).count == 3)
        _ = receiver.output()
    }

    /// `user_changed_number` says the person left the contact's number: the wave goes to their
    /// BSUID in `recipient`, never to the old number (someone else may have it now); with no BSUID
    /// seen, the message is held with a reason.
    @Test func aPersonWhoChangedNumberIsReachedByTheirUserIDNotTheOldNumber() throws {
        let job = try WaveJob(count: 5, notRegisteredEvery: 1000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver)
        try job.submitTemplate(sandbox)
        #expect(try job.plan(["--param", "1=name"]).status == 0)
        let moved = job.numbers[1].filter(\.isNumber)
        let unlinked = job.numbers[3].filter(\.isNumber)
        func change(_ from: String, _ to: String, user: String?, id: String) -> String {
            let userField = user.map { #""from_user_id":"\#($0)","# } ?? ""
            return Self.body(
                contacts: #"{"profile":{"name":"X"},"wa_id":"\#(from)"}"#,
                messages:
                    #"{"from":"\#(from)",\#(userField)"id":"\#(id)","timestamp":"1900000200","type":"system","system":{"body":"changed","wa_id":"\#(to)","type":"user_changed_number"}}"#
            )
        }
        for body in [
            change(moved, "4915199990001", user: "DE.Moved1", id: "wamid.sys3"),
            change(unlinked, "4915199990002", user: nil, id: "wamid.sys4"),
        ] {
            #expect(try WaveJob.post(body, to: receiver, signature: WaveJob.signed(body)) == 200)
        }
        let send = try Binary.run(job.sendArguments(sandbox, ["--json"]), environment: WaveJob.env)
        #expect(send.status == 0, "\(send.stderr)")
        let received = try WaveJob.received(sandbox)
        #expect(received[moved] == nil, "the wave went to a number its person had left")
        #expect(received[unlinked] == nil, "the wave went to a number its person had left")
        #expect(received["DE.Moved1"] == 1, "\(received)")
        #expect(received.count == 4)
        #expect(send.stdout.contains("\"sent_to_user_id\" : 1"), "\(send.stdout)")
        let suppressed = try job.numbers.flatMap { try ToolReadout.trace(job.store, $0)["messages"].array }.filter {
            $0["state"].string == "suppressed"
        }
        #expect(suppressed.map { $0["reason"].string } == ["number_changed_no_user_id"], "\(suppressed)")
        _ = receiver.output()
    }

    @Test func aMarketingStopBlocksMarketingTemplatesOnlyAndAResumeUndoesIt() throws {
        let job = try WaveJob(count: 4, notRegisteredEvery: 1000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver)
        try job.submitTemplate(sandbox)
        let utility = job.folder.file("utility")
        try FileManager.default.createDirectory(atPath: utility, withIntermediateDirectories: true)
        _ = job.folder.write(
            "utility/wa_order.de.json",
            #"""
            {"name":"wa_order","language":"de","category":"UTILITY","components":[{"type":"BODY","text":"Hallo {{1}}, Ihre Bestellung ist unterwegs.","example":{"body_text":[["Anna"]]}}]}
            """#)
        let submit = try Binary.run(
            [
                "templates", "submit", utility, "--store", job.store, "--endpoint", sandbox.url, "--waba-id", "123",
                "--token-env", "WA_TOKEN",
            ], environment: WaveJob.env)
        #expect(submit.status == 0, "\(submit.stderr)")
        let stopper = job.numbers[1].filter(\.isNumber)
        let preference = WebhookEndToEndTests.body(
            preferences:
                #"{"wa_id":"\#(stopper)","detail":"stop","category":"marketing_messages","value":"stop","timestamp":1900000001}"#
        )
        #expect(try WaveJob.post(preference, to: receiver, signature: WaveJob.signed(preference)) == 200)
        _ = try Binary.run(["webhook", "ingest", "--store", job.store], environment: WaveJob.env)

        #expect(try job.plan(["--param", "1=name"]).status == 0)
        let orders = try Binary.run([
            "wave", "plan", "--store", job.store, "--name", "orders", "--template", "wa_order", "--language", "de",
            "--list", "reconsent", "--param", "1=name",
        ])
        #expect(orders.status == 0, "\(orders.stderr)")
        #expect(try ToolReadout.wave(job.store, "welcome")["by_state"]["planned"].int == 3)
        #expect(try ToolReadout.wave(job.store, "orders")["by_state"]["planned"].int == 4)
        var arguments = job.sendArguments(sandbox)
        arguments[arguments.firstIndex(of: "welcome")!] = "orders"
        #expect(try Binary.run(arguments, environment: WaveJob.env).status == 0)
        #expect(try WaveJob.received(sandbox)[stopper] == 1, "the order message reached the person who stopped marketing")

        // The import lists keep the person WhatsApp-ready: only marketing is stopped.
        #expect(try Binary.run(["import", "--store", job.store, "-o", job.folder.file("lists")]).status == 0)
        #expect(try CSVTable(path: job.folder.file("lists/rejected.csv")).rows.isEmpty)
        // A resume later than the stop undoes it for the next marketing wave.
        let resume = WebhookEndToEndTests.body(
            preferences:
                #"{"wa_id":"\#(stopper)","detail":"resume","category":"marketing_messages","value":"resume","timestamp":1900000500}"#
        )
        #expect(try WaveJob.post(resume, to: receiver, signature: WaveJob.signed(resume)) == 200)
        _ = try Binary.run(["webhook", "ingest", "--store", job.store], environment: WaveJob.env)
        let trace = try Binary.run(["trace", "--store", job.store, "+" + stopper])
        #expect(!trace.stdout.contains("marketing stopped"), "\(trace.stdout)")
        _ = receiver.output()
    }

    /// The numbers of the contacts in an import's rejected.csv (rows rejected by normalize have no contact).
    static func rejectedContacts(_ lists: String) throws -> [String] {
        try CSVTable(path: lists + "/rejected.csv").rows.filter { !($0["contact_id"] ?? "").isEmpty }.map { $0["e164"] ?? "" }
    }
}
