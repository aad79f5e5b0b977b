import Foundation
import Testing
import WamigrateBase
import WamigrateTestSupport

/// Gradual rollout and A/B against the sandbox, whose people read, stop and block at rates
/// set per template (`--template-behaviour`), drawn by seed. Counted by the sandbox.
@Suite("End to end: gradual rollout and A/B", .serialized)
struct RolloutEndToEndTests {
    static let variantB = Binary.packageRoot + "/samples/rollout/"

    static func submitVariantB(_ job: WaveJob, _ sandbox: SandboxProcess) throws {
        let result = try Binary.run(
            [
                "templates", "submit", variantB, "--store", job.store, "--endpoint", sandbox.url, "--waba-id", "123",
                "--token-env", "WA_TOKEN",
            ], environment: WaveJob.env)
        #expect(result.status == 0, "\(result.stderr)")
    }

    static func json(_ result: Binary.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    /// `wave status --json` once the receiver has taken in every webhook the sandbox posted
    /// (every post answered, every spooled body in the inbox and processed).
    static func settledStatus(_ job: WaveJob, _ sandbox: SandboxProcess) throws -> [String: Any] {
        let stats = try WaveJob.settle(sandbox)
        let posted = (stats["webhooks"] as? [String: Any])?["statuses"] as? Int ?? 0
        let reader = try JobReader(job.store)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try reader.store.inboxBodies().count >= posted, try reader.store.unprocessedWebhooks(limit: 1).isEmpty { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try json(try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome", "--json"]))
    }

    static func send(_ job: WaveJob, _ sandbox: SandboxProcess) throws -> [String: Any] {
        let send = try Binary.run(job.sendArguments(sandbox, ["--json"]), environment: WaveJob.env)
        #expect(send.status == 0, "\(send.stderr)")
        return try json(send)
    }

    @Test func onlyReleasedCohortsGoOutAndAGateThatHoldsReleasesTheNext() throws {
        let job = try WaveJob(count: 300, notRegisteredEvery: 1_000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver, ["--template-behaviour", "wa_welcome:read=0.9", "--seed", "3"])
        try job.submitTemplate(sandbox)
        let plan = try job.plan([
            "--param", "1=name", "--rollout", "10%,50%,100%", "--gate", "delivered>=0.9,read>=0.6,optout<=0.05",
            "--gate-wait", "0", "--gate-sample", "20", "--json",
        ])
        #expect(plan.status == 0, "\(plan.stderr)")
        let cohorts = try #require((try Self.json(plan)["rollout"] as? [String: Any])?["cohorts"] as? [Int])
        #expect(cohorts.count == 3 && cohorts.reduce(0, +) == 300, "\(cohorts)")

        let first = try Self.send(job, sandbox)
        #expect(first["sent"] as? Int == cohorts[0], "\(first)")
        #expect(first["waiting_gate"] as? Int == cohorts[1] + cohorts[2])
        #expect(try WaveJob.received(sandbox).count == cohorts[0], "the held cohorts stayed back")

        _ = try Self.settledStatus(job, sandbox)
        let advance = try Binary.run(["wave", "advance", "--store", job.store, "--name", "welcome"])
        #expect(advance.status == 0, "\(advance.stderr)")
        #expect(advance.stdout.contains("2 of 3 cohorts released"), "\(advance.stdout)")
        let second = try Self.send(job, sandbox)
        #expect(second["sent"] as? Int == cohorts[1], "\(second)")
        #expect(try WaveJob.received(sandbox).count == cohorts[0] + cohorts[1])
        #expect(try WaveJob.received(sandbox).values.allSatisfy { $0 == 1 })
        _ = receiver.output()
    }

    /// A template's quick-reply button pressed arrives as a `button` message: it counts as a
    /// click (and a reply), and a gate can ask for clicks.
    @Test func buttonPressesCountAsClicksAndCanGateACohort() throws {
        let job = try WaveJob(count: 100, notRegisteredEvery: 1_000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(
            webhooks: receiver, ["--template-behaviour", "wa_welcome:read=0.9,click=0.4", "--seed", "4"])
        try job.submitTemplate(sandbox)
        let plan = try job.plan([
            "--param", "1=name", "--rollout", "50%,100%", "--gate", "clicked>=0.2", "--gate-wait", "0", "--gate-sample", "10",
        ])
        #expect(plan.status == 0, "\(plan.stderr)")
        _ = try Self.send(job, sandbox)
        let rollout = try #require(try Self.settledStatus(job, sandbox)["rollout"] as? [String: Any])
        let pressBodies = try JobReader(job.store).store.inboxBodies().map { String(decoding: $0.body, as: UTF8.self) }
            .filter { $0.contains(#""type":"button""#) }
        let presses = pressBodies.count
        let variant = try #require((rollout["variants"] as? [[String: Any]])?.first)
        let counts = (variant["signals"] as? [String: Any])?["counts"] as? [String: Int] ?? [:]
        #expect(presses > 5 && counts["clicked"] == presses, "\(presses) presses: \(counts)")
        #expect(counts["replied"] ?? 0 >= presses && counts["optout"] == 0, "\(counts)")
        // An independent client reads the sandbox's button replies as button presses (pywa's CallbackButton).
        let python = PywaInteropEndToEndTests.python
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "no Python with pywa at \(python): run ./scripts/install-deps.sh --test (or set WAMIGRATE_INTEROP_PYTHON)")
        let file = job.folder.write(
            "presses.jsonl", pressBodies.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n") + "\n")
        let parsed = try PywaInteropEndToEndTests.check(["updates", file, "--waba-id", "123", "--phone-id", "1234"])
        #expect(parsed["parsed"] as? Int == presses, "every press parsed: \(parsed["failures"] ?? "")")
        #expect((parsed["by_type"] as? [String: Int])?["CallbackButton"] == presses, "\(parsed)")
        let advance = try Binary.run(["wave", "advance", "--store", job.store, "--name", "welcome"])
        #expect(advance.status == 0 && advance.stdout.contains("2 of 2 cohorts released"), "\(advance.stderr)")
        _ = receiver.output()
    }

    @Test func aGateThatFailsNamesTheFigureAndReleasesNothing() throws {
        let job = try WaveJob(count: 200, notRegisteredEvery: 1_000)
        let receiver = try job.serve()
        // Stop 0.3: the 50 people of the first cohort are drawn afresh by each job's key, and at
        // 0.1 one of 30 draws held at most one STOP, under the gate's 0.02 (a CI flake).
        let sandbox = try job.sandbox(
            webhooks: receiver, ["--template-behaviour", "wa_welcome:read=0.2,stop=0.3", "--seed", "5"])
        try job.submitTemplate(sandbox)
        #expect(
            try job.plan([
                "--param", "1=name", "--rollout", "25%,100%", "--gate", "read>=0.5,optout<=0.02", "--gate-wait", "0",
                "--gate-sample", "20",
            ]).status == 0)
        let first = try Self.send(job, sandbox)
        let sent = try #require(first["sent"] as? Int)
        let status = try Self.settledStatus(job, sandbox)
        let rollout = try #require(status["rollout"] as? [String: Any])
        let check = try #require(rollout["gate_check"] as? [String: Any])
        #expect(check["verdict"] as? String == "fails" && check["sample"] as? Int == sent, "\(check)")

        let advance = try Binary.run(["wave", "advance", "--store", job.store, "--name", "welcome"])
        #expect(advance.status == 66, "\(advance.stdout)")
        #expect(advance.stderr.contains("did not pass its gate: read 0."), "\(advance.stderr)")
        #expect(advance.stderr.contains("short by") && advance.stderr.contains("n=\(sent)"), "\(advance.stderr)")
        #expect(advance.stderr.contains("optout 0.") && advance.stderr.contains("over by"), "\(advance.stderr)")
        // Nothing more goes out; the decision is kept.
        let again = try Self.send(job, sandbox)
        #expect(again["sent"] as? Int == 0)
        #expect(try WaveJob.received(sandbox).count == sent)
        let after = try Self.json(try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome", "--json"]))
        let decisions = (after["rollout"] as? [String: Any])?["decisions"] as? [[String: Any]] ?? []
        #expect(decisions.map { $0["verdict"] as? String } == ["fails"], "\(decisions)")
        _ = receiver.output()
    }

    @Test func theBetterVariantIsNamedOnlyWhenTheDataSupportItAndPromoteSendsItToTheRest() throws {
        let job = try WaveJob(count: 400, notRegisteredEvery: 1_000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(
            webhooks: receiver,
            [
                "--template-behaviour", "wa_welcome:read=0.2", "--template-behaviour", "wa_welcome_b:read=0.7", "--seed",
                "9",
            ])
        try job.submitTemplate(sandbox)
        try Self.submitVariantB(job, sandbox)
        let plan = try job.plan([
            "--param", "1=name", "--rollout", "50%,100%", "--variants", "A=wa_welcome,B=wa_welcome_b", "--gate-wait", "0",
            "--json",
        ])
        #expect(plan.status == 0, "\(plan.stderr)")
        _ = try Self.send(job, sandbox)
        let status = try Self.settledStatus(job, sandbox)
        let comparison = try #require((status["rollout"] as? [String: Any])?["comparison"] as? [String: Any])
        #expect(comparison["winner"] as? String == "B", "\(comparison)")
        #expect((comparison["chi_squared"] as? [String: Any])?["p_value"] as? Double ?? 1 < 0.001)

        let promote = try Binary.run(["wave", "promote", "--store", job.store, "--name", "welcome", "--variant", "B"])
        #expect(promote.status == 0, "\(promote.stderr)")
        #expect(promote.stdout.contains("the data support B on read"), "\(promote.stdout)")
        let before = try sandbox.messages(channel: "whatsapp").count
        _ = try Self.send(job, sandbox)
        let rest = try sandbox.messages(channel: "whatsapp").dropFirst(before)
        #expect(!rest.isEmpty && rest.allSatisfy { $0["body"] as? String == "wa_welcome_b" }, "the rest got B")
        #expect(try WaveJob.received(sandbox).count == 400)

        // The auditor's report: cohorts, holdout, every signal per variant and the decisions, each
        // figure recomputed from its query; the words give the intervals, the winner and the promotion.
        let variants = try #require(
            (try Self.settledStatus(job, sandbox)["rollout"] as? [String: Any])?["variants"] as? [[String: Any]])
        let report = try Binary.run(["report", "--store", job.store, "--out", job.folder.file("report")])
        #expect(report.status == 0, "\(report.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(job.folder.read("report/report.json").utf8)) as? [String: Any]
        let section = try #require((json?["sections"] as? [[String: Any]])?.first { $0["id"] as? String == "rollout" })
        let figures = section["figures"] as? [[String: Any]] ?? []
        #expect(
            figures.map { $0["id"] as? String ?? "" } == [
                "rollout.released", "rollout.cohorts", "rollout.holdout", "rollout.signals", "rollout.holdout_legacy",
                "rollout.decisions",
            ])
        for figure in figures {
            let rows = (figure["rows"] as? [[String: Any]] ?? []).map { ["\($0["key"] ?? "")", "\($0["value"] ?? "")"] }
            #expect(try Auditor.recompute(figure["query"] as? String ?? "", in: job.store) == rows, "\(figure["id"] ?? "")")
        }
        let signals = Dictionary(
            uniqueKeysWithValues: (figures.first { $0["id"] as? String == "rollout.signals" }?["rows"] as? [[String: Any]] ?? [])
                .map { ($0["key"] as? String ?? "", $0["value"] as? Int ?? -1) })
        for variant in variants {
            let name = variant["variant"] as? String ?? ""
            let counts = (variant["signals"] as? [String: Any])?["counts"] as? [String: Int] ?? [:]
            #expect(signals["welcome: \(name): read"] == counts["read"], "variant \(name)")
            #expect(signals["welcome: \(name): measured"] == (variant["signals"] as? [String: Any])?["measured"] as? Int)
        }
        #expect(signals["welcome: B: measured"] ?? 0 > signals["welcome: A: measured"] ?? 0, "the promoted B took the rest")
        let notes = (section["notes"] as? [String] ?? []).joined(separator: "\n")
        #expect(notes.contains("winner: B") && notes.contains("promoted — promoted B"), "\(notes)")
        #expect(job.folder.read("report/report.md").contains("Gradual rollout and A/B tests"))
        _ = receiver.output()
    }

    /// Equal variants: everyone who gets either template reads it (one person is not on
    /// WhatsApp), so no split of the people can show a difference (how many more messages a real but small difference needs is
    /// `VariantComparisonTests`' and `RolloutStatusLinesTests`' part).
    @Test func equalVariantsNameNoWinner() throws {
        let job = try WaveJob(count: 120, notRegisteredEvery: 1_000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(
            webhooks: receiver,
            ["--template-behaviour", "wa_welcome:read=1", "--template-behaviour", "wa_welcome_b:read=1", "--seed", "2"])
        try job.submitTemplate(sandbox)
        try Self.submitVariantB(job, sandbox)
        let plan = try job.plan(["--param", "1=name", "--variants", "A=wa_welcome,B=wa_welcome_b", "--gate-wait", "0"])
        #expect(plan.status == 0, "\(plan.stderr)")
        _ = try Self.send(job, sandbox)
        let rollout = try #require(try Self.settledStatus(job, sandbox)["rollout"] as? [String: Any])
        let comparison = try #require(rollout["comparison"] as? [String: Any])
        #expect(comparison["winner"] == nil, "\(comparison)")
        let measured = (rollout["variants"] as? [[String: Any]] ?? []).map {
            ($0["signals"] as? [String: Any])?["measured"] as? Int ?? 0
        }
        #expect(measured.count == 2 && measured.allSatisfy { $0 > 30 } && measured.reduce(0, +) == 120, "\(measured)")
        let status = try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome"])
        #expect(status.stdout.contains("  no winner"), "\(status.stdout)")
        _ = receiver.output()
    }

    /// A variant's template going RED, or the platform lowering the messaging limit, pauses the
    /// wave: status and the report say why, and no cohort is released until it recovers.
    @Test func aQualityDropOrALowerLimitPausesTheWave() throws {
        let job = try WaveJob(count: 200, notRegisteredEvery: 1_000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver)
        try job.submitTemplate(sandbox)
        try Self.submitVariantB(job, sandbox)
        let signals = PlatformSignalsEndToEndTests.self
        let ingest = { _ = try Binary.run(["webhook", "ingest", "--store", job.store], environment: WaveJob.env) }
        try signals.post(
            signals.body(field: "business_capability_update", value: #"{"max_daily_conversations_per_business":2000}"#),
            receiver)
        try ingest()
        let plan = try job.plan([
            "--param", "1=name", "--rollout", "10%,100%", "--variants", "A=wa_welcome,B=wa_welcome_b", "--gate-wait", "0",
            "--gate-sample", "5",
        ])
        #expect(plan.status == 0, "\(plan.stderr)")
        _ = try Self.send(job, sandbox)
        _ = try Self.settledStatus(job, sandbox)

        try signals.post(
            signals.body(
                field: "message_template_quality_update",
                value:
                    #"{"previous_quality_score":"GREEN","new_quality_score":"RED","message_template_id":2,"message_template_name":"wa_welcome_b","message_template_language":"de"}"#
            ), receiver)
        try ingest()
        var status = try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome"])
        #expect(status.stdout.contains("PAUSED: template wa_welcome_b is of RED quality"), "\(status.stdout)")
        let advance = try Binary.run(["wave", "advance", "--store", job.store, "--name", "welcome"])
        #expect(
            advance.status != 0 && advance.stderr.contains("is paused: template wa_welcome_b is of RED quality"),
            "\(advance.stderr)")
        #expect(try Binary.run(["report", "--store", job.store, "--out", job.folder.file("report")]).status == 0)
        #expect(job.folder.read("report/report.md").contains("PAUSED: template wa_welcome_b is of RED quality"))

        // Back to GREEN, but the platform now allows 250 a day, below the 2,000 the wave was planned under.
        try signals.post(
            signals.body(
                field: "message_template_quality_update",
                value:
                    #"{"previous_quality_score":"RED","new_quality_score":"GREEN","message_template_id":2,"message_template_name":"wa_welcome_b","message_template_language":"de"}"#
            ).replacingOccurrences(of: "1900000000", with: "1900000100"), receiver)
        try signals.post(
            signals.body(field: "business_capability_update", value: #"{"max_daily_conversations_per_business":250}"#)
                .replacingOccurrences(of: "1900000000", with: "1900000200"), receiver)
        try ingest()
        status = try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome", "--json"])
        let paused = (try Self.json(status)["rollout"] as? [String: Any])?["paused"] as? String ?? ""
        #expect(paused.contains("the messaging limit fell to") && paused.contains("2000"), "\(paused)")
        // The calendar for the messages left follows the platform's new limit at once.
        let forecast = (try Self.json(status)["rollout"] as? [String: Any])?["forecast"] as? [String: Any]
        let left = try #require(forecast?["audience"] as? Int)
        #expect(left > 100 && forecast?["start_limit"] as? Int == 250, "\(forecast ?? [:])")
        #expect(forecast?["days"] as? Int == (left + 249) / 250, "\(forecast ?? [:])")
        let words = try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome"]).stdout
        #expect(words.contains("limit forecast for the \(left) messages left, from 250"), "\(words)")
        let again = try Binary.run(["wave", "advance", "--store", job.store, "--name", "welcome"])
        #expect(again.status != 0 && again.stderr.contains("the messaging limit fell to"), "\(again.stderr)")
        _ = receiver.output()
    }

    /// The holdout gets no WhatsApp template; what its SMS re-consent messages give is measured
    /// against the WhatsApp side: the migration's own effect.
    @Test func theHoldoutIsMeasuredOnTheLegacyChannel() throws {
        let job = try WaveJob(count: 60, notRegisteredEvery: 1_000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver)
        try job.submitTemplate(sandbox)
        let plan = try job.plan(["--param", "1=name", "--holdout", "30%", "--gate-wait", "0", "--json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let held = try #require((try Self.json(plan)["rollout"] as? [String: Any])?["holdout"] as? Int)
        _ = try Self.send(job, sandbox)
        let onWhatsApp = Set(try WaveJob.received(sandbox).keys)
        #expect(onWhatsApp.count == 60 - held, "the holdout got no template")

        // The re-consent campaign over SMS reaches everyone; three holdout people answer, two with STOP.
        #expect(try CampaignFixtures.plan(job.store).status == 0)
        let campaign = try CampaignFixtures.send(job.store, sandbox)
        #expect(campaign.status == 0, "\(campaign.stderr)")
        let holdout = job.numbers.map { "+" + $0.filter(\.isNumber) }.filter { !onWhatsApp.contains(String($0.dropFirst())) }
        #expect(holdout.count == held)
        let replies = try CampaignFixtures.replies(
            job.folder, job.store,
            [
                CampaignFixtures.sms("SMh1", from: holdout[0], "Stop", at: "2026-11-23T11:00:00Z"),
                CampaignFixtures.sms("SMh2", from: holdout[1], "STOP", at: "2026-11-23T11:01:00Z"),
                CampaignFixtures.sms("SMh3", from: holdout[2], "ja", at: "2026-11-23T11:02:00Z"),
            ])
        #expect(replies.status == 0, "\(replies.stderr)")

        let rollout = try #require(try Self.settledStatus(job, sandbox)["rollout"] as? [String: Any])
        let legacy = try #require((rollout["holdout"] as? [String: Any])?["signals"] as? [String: Any])
        #expect(legacy["measured"] as? Int == held, "\(legacy)")
        let counts = legacy["counts"] as? [String: Int] ?? [:]
        #expect(counts["replied"] == 3 && counts["optout"] == 2, "\(counts)")
        let text = try Binary.run(["wave", "status", "--store", job.store, "--name", "welcome"]).stdout
        #expect(text.contains("holdout on the legacy channel (SMS/Viber), n=\(held) messaged"), "\(text)")
        #expect(text.contains("WhatsApp − legacy at 95% (Newcombe): delivered ["), "\(text)")
        #expect(try Binary.run(["report", "--store", job.store, "--out", job.folder.file("report")]).status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(job.folder.read("report/report.json").utf8)) as? [String: Any]
        let section = (json?["sections"] as? [[String: Any]])?.first { $0["id"] as? String == "rollout" }
        let figure = try #require(
            (section?["figures"] as? [[String: Any]])?.first { $0["id"] as? String == "rollout.holdout_legacy" })
        let rows = (figure["rows"] as? [[String: Any]] ?? []).map { ["\($0["key"] ?? "")", "\($0["value"] ?? "")"] }
        #expect(rows.contains(["welcome: replied", "3"]) && rows.contains(["welcome: optout", "2"]), "\(rows)")
        #expect(try Auditor.recompute(figure["query"] as? String ?? "", in: job.store) == rows)
        _ = receiver.output()
    }

    @Test func aRePlanDrawsEveryoneIntoTheSamePlace() throws {
        let job = try WaveJob(count: 500, notRegisteredEvery: 1_000)
        let sandbox = try job.sandbox(webhooks: nil)
        try job.submitTemplate(sandbox)
        try Self.submitVariantB(job, sandbox)
        let arguments = [
            "--param", "1=name", "--rollout", "5%,30%,100%", "--variants", "A=wa_welcome,B=wa_welcome_b", "--holdout", "10%",
            "--json",
        ]
        // A plan without --rollout first: its one cohort is no place to keep anyone in.
        #expect(try job.plan(["--param", "1=name"]).status == 0)
        let first = try Self.json(try job.plan(arguments))["rollout"] as? [String: Any] ?? [:]
        let second = try Self.json(try job.plan(arguments))["rollout"] as? [String: Any] ?? [:]
        #expect(first["kept_key"] as? Bool == false && second["kept_key"] as? Bool == true)
        #expect(first["cohorts"] as? [Int] == second["cohorts"] as? [Int])
        #expect(first["variants"] as? [String: Int] == second["variants"] as? [String: Int])
        let holdout = try #require(first["holdout"] as? Int)
        #expect(holdout > 25 && holdout < 80, "about 10 % of 500 held back: \(holdout)")
        // Quotas per stratum: no cohort's mix of countries and languages strays from the
        // audience's by more than about two people's worth.
        let sizes = try #require(first["cohorts"] as? [Int])
        let planned = sizes.reduce(0, +)
        #expect(abs(Double(sizes[0]) - 0.05 * Double(planned)) <= 1, "5 % in cohort 1 by quota: \(sizes)")
        let gaps = try #require(first["mix_gap"] as? [Double])
        for (size, gap) in zip(sizes, gaps) { #expect(gap * Double(size) <= 3, "cohort of \(size): gap \(gap)") }
    }
}
