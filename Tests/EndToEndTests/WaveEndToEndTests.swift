import Foundation
import Testing
import WamigrateTestSupport

/// The first WhatsApp wave, end to end on the built binary: plan → send to the sandbox →
/// its signed status webhooks into `webhook serve` → registration learned → `import`
/// moves people → `trace` and `wave status` show it.
@Suite("End to end: WhatsApp waves and the webhook receiver", .serialized)
struct WaveEndToEndTests {
    @Test func aWaveTeachesWhoIsOnWhatsAppThroughTheReceiverAndImportMovesThem() throws {
        let job = try WaveJob(count: 12)
        let receiver = try job.serve()
        // Redeliveries and forged posts on a good share of the statuses.
        let sandbox = try job.sandbox(
            webhooks: receiver, ["--webhook-duplicate-rate", "0.3", "--webhook-bad-signature-rate", "0.3"])
        try job.submitTemplate(sandbox)

        // Meta's verification handshake.
        let verified = try receiver.request("?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
        #expect(verified.status == 200 && verified.body == "1158201444")
        #expect(try receiver.request("?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1").status == 403)

        let plan = try job.plan(["--param", "1=name", "--tier", "250"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("12 planned"), "\(plan.stdout)")
        let send = try Binary.run(job.sendArguments(sandbox, ["--json"]), environment: WaveJob.env)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stdout.contains("\"sent\" : 12"), "\(send.stdout)")
        #expect(send.stdout.contains("\"route\" : \"marketing_messages\""), "a MARKETING template goes to the MM API")

        let stats = try WaveJob.settle(sandbox)
        let webhooks = stats["webhooks"] as? [String: Any] ?? [:]
        #expect(try WaveJob.received(sandbox).values.sorted() == Array(repeating: 1, count: 12), "each person once")
        #expect((webhooks["forgedRefused"] as? Int ?? 0) > 0, "forged posts were made")
        #expect(webhooks["forgedAccepted"] as? Int == 0, "and every one was refused")
        let summary = receiver.output()  // SIGTERM: a last pass, then the summary
        #expect(summary.contains("webhook serve:"), "\(summary)")

        let reader = try JobReader(job.store)
        let statuses = webhooks["statuses"] as? Int ?? -1
        #expect(try reader.spooled() == statuses, "bad signatures: 0 stored; redeliveries once")
        #expect(try reader.store.unprocessedWebhooks(limit: 1).isEmpty, "every body kept was processed")

        // Delivered → on WhatsApp with wa_id and BSUID; one 131026 is evidence, not a verdict.
        var kept = 0
        for number in job.numbers {
            let e164 = "+" + number.filter(\.isNumber)
            kept += try ToolReadout.trace(job.store, e164)["verification"]["statuses"].array.count
            let answer = try reader.registration(e164)
            let row = answer.map { "\($0.status.rawValue) \($0.waID ?? "-") \($0.userID ?? "-")" }
            if job.registered.contains(String(e164.dropFirst())) {
                #expect(row?.hasPrefix("on_whatsapp \(e164.dropFirst()) ZZ.") == true, "\(e164): \(row ?? "none")")
            } else {
                #expect(row == "unknown - -", "\(e164): \(row ?? "none")")
            }
        }
        #expect(kept == statuses, "every status kept once")
        let imported = try Binary.run(["import", "--store", job.store, "--out", job.folder.file("out")])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try CSVTable(path: job.folder.file("out/whatsapp_ready.csv")).rows.count == job.registered.count)

        let status = try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome", "--json"])
        #expect(status.stdout.contains("\"131026\" : \(12 - job.registered.count)"), "\(status.stdout)")
        let someone = job.numbers[1]
        let trace = try Binary.run(["trace", someone, "--store", job.store])
        #expect(trace.stdout.contains("webhook answered"), "\(trace.stdout)")
        #expect(trace.stdout.contains("evidence: delivered"), "\(trace.stdout)")
        #expect(trace.stdout.contains("message wave welcome via whatsapp: sent"), "\(trace.stdout)")
        #expect(trace.stdout.contains("import list: whatsapp_ready"), "\(trace.stdout)")

        // The report has the wave, and every figure of it recomputes from its query.
        let report = try Binary.run(["report", "--store", job.store, "--out", job.folder.file("report")])
        #expect(report.status == 0, "\(report.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(job.folder.read("report/report.json").utf8)) as? [String: Any]
        let waves = try #require((json?["sections"] as? [[String: Any]])?.first { $0["id"] as? String == "waves" })
        let figures = waves["figures"] as? [[String: Any]] ?? []
        let learned = figures.first { $0["id"] as? String == "waves.learned" }
        #expect(learned?["value"] as? Int == job.registered.count, "\(figures)")
        for figure in figures {
            let rows = try Auditor.recompute(figure["query"] as? String ?? "", in: job.store)
            if let value = figure["value"] as? Int { #expect(rows == [[String(value)]], "\(figure["id"] ?? "")") }
        }
        #expect(sandbox.stop() == 0)
    }

    @Test func aKillDuringSendStillGivesEveryPlannedPersonTheTemplateOnce() throws {
        let job = try WaveJob(count: 10)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver, ["--message-delay", "0.3", "--webhook-max-delay", "0.05"])
        try job.submitTemplate(sandbox)
        #expect(try job.plan(["--param", "1=name"]).status == 0)

        // The sandbox holds the 4th request and has not answered: the kill lands mid-request.
        let first = try job.startSend(sandbox, after: 4)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        _ = try WaveJob.settle(sandbox)

        let again = try Binary.run(job.sendArguments(sandbox, ["--json"]), environment: WaveJob.env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\"in_doubt\" : 0"), "\(again.stdout)")
        let received = try WaveJob.received(sandbox)
        #expect(received.count == 10 && received.values.allSatisfy { $0 == 1 }, "\(received)")
        // The message the kill caught was settled by its status webhook (the receiver's pass or
        // the re-run's, whichever came first), not sent again.
        let messages = try job.numbers.flatMap { try ToolReadout.trace(job.store, $0)["messages"].array }
        #expect(messages.count == 10, "one message each")
        #expect(messages.filter { $0["reason"].string == "settled_by_webhook" }.count == 1, "\(messages)")
        #expect(messages.filter { $0["state"].string == "sent" && $0["provider_id"].string != nil }.count == 10)
        _ = receiver.output()
    }

    @Test func withoutAWebhookTheMessageAKillCaughtIsReportedInDoubtNotSentAgain() throws {
        let job = try WaveJob(count: 5)
        let sandbox = try job.sandbox(webhooks: nil, ["--message-delay", "0.3"])
        try job.submitTemplate(sandbox)
        #expect(try job.plan(["--param", "1=name"]).status == 0)
        let first = try job.startSend(sandbox, after: 2)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()

        let again = try Binary.run(job.sendArguments(sandbox), environment: WaveJob.env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("in doubt now: 1 (not sent again"), "\(again.stdout)")
        var received = try WaveJob.received(sandbox)
        #expect(received.count == 5 && received.values.allSatisfy { $0 == 1 }, "\(received)")
        let status = try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome"])
        #expect(status.stdout.contains("in_doubt 1"), "\(status.stdout)")

        // After a person checked: --resend-in-doubt sends it again (here the sandbox did get it: twice).
        let resend = try Binary.run(job.sendArguments(sandbox, ["--resend-in-doubt"]), environment: WaveJob.env)
        #expect(resend.status == 0 && resend.stdout.contains("planned again: 1;"), "\(resend.stdout)")
        received = try WaveJob.received(sandbox)
        #expect(received.values.sorted() == [1, 1, 1, 1, 2])
    }

    @Test func anOptOutArrivingByWebhookBetweenPlanAndSendIsNeverSentTo() throws {
        let job = try WaveJob(count: 6)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver)
        try job.submitTemplate(sandbox)
        #expect(try job.plan(["--param", "1=name"]).status == 0)

        let stopper = job.numbers[2].filter(\.isNumber)
        let marketer = job.numbers[4].filter(\.isNumber)
        let stop = WebhookEndToEndTests.body(
            messages: #"{"from":"\#(stopper)","id":"wamid.in9","timestamp":"1900000000","type":"text","text":{"body":"STOP"}}"#)
        let preference = WebhookEndToEndTests.body(
            preferences:
                #"{"wa_id":"\#(marketer)","detail":"stop","category":"marketing_messages","value":"stop","timestamp":1900000001}"#
        )
        // Bad and missing signatures are refused and nothing is kept.
        #expect(try WaveJob.post(stop, to: receiver, signature: "sha256=" + String(repeating: "ab", count: 32)) == 401)
        #expect(try WaveJob.post(stop, to: receiver, signature: nil) == 401)
        #expect(try WaveJob.post(stop, to: receiver, signature: WaveJob.signed(preference)) == 401, "another body's signature")
        #expect(try JobReader(job.store).spooled() == 0)
        #expect(try WaveJob.post(stop, to: receiver, signature: WaveJob.signed(stop)) == 200)
        #expect(try WaveJob.post(preference, to: receiver, signature: WaveJob.signed(preference)) == 200)
        // Signed bodies the job cannot use must not wedge it: one that is no JSON, and a status
        // that names only the BSUID (no phone number: Meta leaves it out after 30 quiet days).
        let garbled = "{not json"
        let bsuidOnly = WebhookEndToEndTests.body(
            statuses: #"{"id":"wamid.unknown","status":"delivered","timestamp":"1900000002","recipient_user_id":"DE.abc"}"#)
        #expect(try WaveJob.post(garbled, to: receiver, signature: WaveJob.signed(garbled)) == 200)
        #expect(try WaveJob.post(bsuidOnly, to: receiver, signature: WaveJob.signed(bsuidOnly)) == 200)

        let send = try Binary.run(job.sendArguments(sandbox, ["--json"]), environment: WaveJob.env)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stdout.contains("\"opted_out\" : 2"), "\(send.stdout)")
        let received = try WaveJob.received(sandbox)
        #expect(received[stopper] == nil && received[marketer] == nil, "\(received)")
        #expect(received.count == 4)
        _ = receiver.output()
    }

    @Test func planRefusesWhatCannotBeSentAndSaysWhy() throws {
        let job = try WaveJob(count: 5, unnamed: [1, 3])
        // No template record yet.
        let missing = try job.plan(["--param", "1=name"])
        #expect(missing.status == 66 && missing.stderr.contains("wa_welcome (de) is not in this store"), "\(missing.stderr)")

        let pending = try job.sandbox(webhooks: nil, ["--template-status", "PENDING"])
        try job.submitTemplate(pending)
        let notApproved = try job.plan(["--param", "1=name"])
        #expect(notApproved.status == 66 && notApproved.stderr.contains("PENDING, not APPROVED"), "\(notApproved.stderr)")

        // The review webhook approves it.
        let approval =
            #"{"object":"whatsapp_business_account","entry":[{"id":"123","time":1900000000,"changes":[{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":1000000000001,"message_template_name":"wa_welcome","message_template_language":"de","reason":"NONE"}}]}]}"#
        let file = job.folder.write("review.jsonl", approval + "\n")
        #expect(try Binary.run(["webhook", "ingest", "--store", job.store, file]).status == 0)

        let noParam = try job.plan()
        #expect(noParam.status == 64 && noParam.stderr.contains("{{1}} and no --param gives it"), "\(noParam.stderr)")
        let unnamed = try job.plan(["--param", "1=name"])
        #expect(unnamed.status == 64 && unnamed.stderr.contains("2 contacts have no name"), "\(unnamed.stderr)")
        let unplanned = try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome"])
        #expect(unplanned.stderr.contains("no planned wave named 'welcome'"), "nothing was planned: \(unplanned.stderr)")
        #expect(try JobReader(job.store).store.waveCount("welcome", state: .planned) == 0)

        let dry = try job.plan(["--param", "1=name", "--skip-missing", "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("3 planned"), "\(dry.stdout)")
        let dryStatus = try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome"])
        #expect(dryStatus.stderr.contains("no planned wave named 'welcome'"), "a dry run stores nothing")
        let fallback = try job.plan(["--param", "1=name", "--fallback", "1=Kundin/Kunde"])
        #expect(fallback.status == 0 && fallback.stdout.contains("5 planned"), "\(fallback.stdout)")

        // A pause reported later stops a new plan.
        let pause = approval.replacingOccurrences(of: "APPROVED", with: "PAUSED").replacingOccurrences(
            of: "1900000000", with: "1900000500")
        #expect(
            try Binary.run(["webhook", "ingest", "--store", job.store, job.folder.write("pause.jsonl", pause + "\n")])
                .status == 0)
        let paused = try job.plan(["--param", "1=name", "--fallback", "1=Kundin/Kunde"])
        #expect(paused.status == 66 && paused.stderr.contains("PAUSED"), "\(paused.stderr)")
        // And the wave planned before the pause is not sent.
        let pausedSend = try Binary.run(job.sendArguments(pending), environment: WaveJob.env)
        #expect(pausedSend.status == 66 && pausedSend.stderr.contains("PAUSED now; nothing was sent"), "\(pausedSend.stderr)")
        #expect(try WaveJob.received(pending).isEmpty)
    }

    @Test func theMessagingLimitAndTheRateCapHoldAndTemplateErrorsStopTheWave() throws {
        let job = try WaveJob(count: 300)
        let sandbox = try job.sandbox(webhooks: nil, ["--messaging-limit", "250"])
        try job.submitTemplate(sandbox)
        let plan = try job.plan(["--param", "1=name", "--tier", "250"])
        #expect(plan.stdout.contains("days at 250 unique recipients per 24 h: 2"), "\(plan.stdout)")

        let send = try Binary.run(job.sendArguments(sandbox, ["--rate", "100", "--json"]), environment: WaveJob.env)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(send.stdout.contains("\"sent\" : 250") && send.stdout.contains("\"waiting_limit\" : 50"), "\(send.stdout)")
        let stats = try sandbox.json("/_sandbox/whatsapp")
        #expect(stats["refusedOverLimit"] as? Int == 0, "the tool kept to the tier itself")
        #expect((stats["maxInOneSecond"] as? Int ?? 999) <= 100, "never above the cap: \(stats)")
        // A second run the same day sends nobody.
        let again = try Binary.run(job.sendArguments(sandbox, ["--json"]), environment: WaveJob.env)
        #expect(again.stdout.contains("\"sent\" : 0"), "\(again.stdout)")

        // A sandbox that never heard of the template answers 132001: the wave stops, nothing is lost.
        let other = try WaveJob(count: 3)
        let fresh = try other.sandbox(webhooks: nil)
        try other.submitTemplate(try other.sandbox(webhooks: nil))
        #expect(try other.plan(["--param", "1=name"]).status == 0)
        let stopped = try Binary.run(other.sendArguments(fresh), environment: WaveJob.env)
        #expect(stopped.status == 69 && stopped.stderr.contains("template error 132001"), "\(stopped.stderr)")
        #expect(try ToolReadout.wave(other.store, "welcome")["by_state"]["planned"].int == 3)
    }
}
