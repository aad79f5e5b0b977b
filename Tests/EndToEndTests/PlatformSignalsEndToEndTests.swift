import Foundation
import Testing
import WamigrateTestSupport

/// The messaging limit and template quality as the platform announces them (contracts §9.3).
@Suite("End to end: limits and template quality from the platform", .serialized)
struct PlatformSignalsEndToEndTests {
    static func body(field: String, value: String) -> String {
        #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1900000000,"changes":[{"field":"\#(field)","value":\#(value)}]}]}"#
    }

    static func post(_ body: String, _ receiver: SandboxProcess) throws {
        #expect(try WaveJob.post(body, to: receiver, signature: WaveJob.signed(body)) == 200)
    }

    @Test func thePlatformsAnnouncedLimitSetsTheTierUnlessTierOverridesIt() throws {
        let job = try WaveJob(count: 5, notRegisteredEvery: 1000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver)
        try job.submitTemplate(sandbox)
        try Self.post(
            Self.body(field: "business_capability_update", value: #"{"max_daily_conversations_per_business":2000}"#),
            receiver)
        _ = try Binary.run(["webhook", "ingest", "--store", job.store], environment: WaveJob.env)
        var plan = try job.plan(["--param", "1=name", "--json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("\"tier\" : 2000") && plan.stdout.contains("business_capability_update"))

        // A newer throughput notice (a TIER_* word) wins; -1 from business_capability_update means unlimited.
        let quality = Self.body(
            field: "phone_number_quality_update",
            value:
                #"{"display_phone_number":"15550000000","event":"THROUGHPUT_UPGRADE","old_limit":"TIER_2K","max_daily_conversations_per_business":"TIER_250"}"#
        ).replacingOccurrences(of: "1900000000", with: "1900000100")
        try Self.post(quality, receiver)
        _ = try Binary.run(["webhook", "ingest", "--store", job.store], environment: WaveJob.env)
        plan = try job.plan(["--param", "1=name", "--json", "--dry-run"])
        #expect(plan.stdout.contains("\"tier\" : 250") && plan.stdout.contains("TIER_250"), "\(plan.stdout)")
        plan = try job.plan(["--param", "1=name", "--json", "--dry-run", "--tier", "10000"])
        #expect(plan.stdout.contains("\"tier\" : 10000") && plan.stdout.contains("\"tier_source\" : \"--tier\""))

        // The stored plan said 2,000 from the capability update; the send runs under the newer
        // TIER_250, and the report says which limit the wave used and where it came from.
        let send = try Binary.run(job.sendArguments(sandbox), environment: WaveJob.env)
        #expect(send.status == 0, "\(send.stderr)")
        #expect(try Binary.run(["report", "--store", job.store, "--out", job.folder.file("report")]).status == 0)
        let report = job.folder.read("report/report.md")
        let line = report.split(separator: "\n").first { $0.contains("welcome: 250 from phone_number_quality_update") }
        #expect(line?.contains("| 250") == true, "\(report)")
        _ = receiver.output()
    }

    @Test func aTemplateGoingRedOrPausedStopsTheWaveBeforeTheNextMessage() throws {
        let job = try WaveJob(count: 30, notRegisteredEvery: 1000)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: receiver, ["--message-delay", "0.08"])
        try job.submitTemplate(sandbox)
        #expect(try job.plan(["--param", "1=name"]).status == 0)
        let send = try job.startSend(sandbox, after: 5)
        try Self.post(
            Self.body(
                field: "message_template_quality_update",
                value:
                    #"{"previous_quality_score":"GREEN","new_quality_score":"RED","message_template_id":1,"message_template_name":"wa_welcome","message_template_language":"de"}"#
            ), receiver)
        let posted = Date().timeIntervalSince1970
        send.waitUntilExit()
        #expect(send.terminationStatus == 66, "the wave stops with E_STAGE_ORDER")
        let late = try sandbox.messages(channel: "whatsapp").filter { ($0["received_at"] as? Double ?? 0) > posted + 1 }
        #expect(late.isEmpty, "\(late.count) messages went out more than 1 s after the template went RED")
        #expect(try sandbox.messages(channel: "whatsapp").count < 30)
        let states = try ToolReadout.wave(job.store, "welcome")["by_state"].counts
        #expect(states["sending", default: 0] + states["in_doubt", default: 0] == 0, "\(states)")
        _ = receiver.output()
    }
}
