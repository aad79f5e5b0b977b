import Foundation
import Testing
import WamigrateTestSupport

/// `wave send` as several processes on one PostgreSQL job, with receivers beside them: senders
/// killed with SIGKILL at random points and started again message every planned person once
/// (the sandbox counts what it took), and a STOP any receiver accepted stops the next message.
@Suite("End to end: PostgreSQL senders and receivers", .serialized)
struct PostgresSendersEndToEndTests {
    static let enabled = PostgresTestDatabase.server != nil || PostgresTestDatabase.required

    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func killedSendersMessageEveryPlannedPersonExactlyOnce() throws {
        let database = try PostgresTestDatabase()
        let job = try WaveJob(count: 150, store: database.address.url)
        let receiver = try job.serve()
        let sandbox = try job.sandbox(
            webhooks: receiver,
            [
                "--faults", "drop=0.08,504=0.08,500=0.03", "--fault-routes", "messages", "--message-delay", "0.02",
                "--webhook-max-delay", "0.05", "--seed", "31",
            ])
        try job.submitTemplate(sandbox)
        #expect(try job.plan(["--param", "1=name"]).status == 0)
        let arguments = job.sendArguments(sandbox, ["--settle-seconds", "1", "--rate", "12"])
        var senders = [
            try Binary.start(arguments, environment: WaveJob.env), try Binary.start(arguments, environment: WaveJob.env),
        ]
        var random = HostileInputFuzzTests.Generator(state: 31)  // seeded kill times and victims
        var kills = 0
        for _ in 0..<40 where kills < 12 {
            Thread.sleep(forTimeInterval: 0.05 + Double(random.next(300)) / 1000)
            let victim = random.next(2)
            guard senders[victim].isRunning else {
                senders[victim] = try Binary.start(arguments, environment: WaveJob.env)
                continue
            }
            kill(senders[victim].processIdentifier, SIGKILL)
            senders[victim].waitUntilExit()
            kills += 1
            senders[victim] = try Binary.start(arguments, environment: WaveJob.env)
        }
        for sender in senders { sender.waitUntilExit() }
        #expect(kills >= 10, "only \(kills) senders were still running to be killed")
        _ = try WaveFaultsEndToEndTests.sendUntilSettled(job, sandbox, extra: ["--settle-seconds", "1"])
        _ = try WaveJob.settle(sandbox)
        let received = try WaveJob.received(sandbox)
        #expect(received.count == 150, "planned people missed: \(150 - received.count)")
        #expect(received.values.allSatisfy { $0 == 1 }, "messaged twice: \(received.filter { $0.value > 1 }.count)")
        let states = try ToolReadout.wave(job.store, "welcome")["by_state"].counts
        #expect(states["sent", default: 0] + states["failed", default: 0] == 150, "\(states)")
        _ = receiver.output()
    }

    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func aStopAnotherReceiverAcceptedStopsBothSendersWithinASecond() throws {
        let database = try PostgresTestDatabase()
        let job = try WaveJob(count: 60, notRegisteredEvery: 1000, store: database.address.url)
        let statusReceiver = try job.serve()
        let stopReceiver = try job.serve()
        let sandbox = try job.sandbox(webhooks: statusReceiver, ["--message-delay", "0.08"])
        try job.submitTemplate(sandbox)
        #expect(try job.plan(["--param", "1=name"]).status == 0)

        let first = try job.startSend(sandbox, after: 4)
        let second = try Binary.start(job.sendArguments(sandbox), environment: WaveJob.env)
        let messaged = Set(try sandbox.messages(channel: "whatsapp").map { $0["to"] as? String ?? "" })
        let waiting = job.numbers.map { $0.filter(\.isNumber) }.filter { !messaged.contains($0) }
        let stoppers = stride(from: 0, to: waiting.count, by: 3).map { waiting[$0] }
        var accepted: [String: Double] = [:]
        for (index, stopper) in stoppers.enumerated() {
            let body = WebhookEndToEndTests.body(
                messages:
                    #"{"from":"\#(stopper)","id":"wamid.stop\#(index)","timestamp":"1900000000","type":"text","text":{"body":"STOP"}}"#
            )
            #expect(try WaveJob.post(body, to: stopReceiver, signature: WaveJob.signed(body)) == 200)
            accepted[stopper] = Date().timeIntervalSince1970
        }
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        let taken = try sandbox.messages(channel: "whatsapp")
        let late = taken.filter { message in
            guard let to = message["to"] as? String, let stop = accepted[to] else { return false }
            return (message["received_at"] as? Double ?? 0) > stop + 1.0
        }
        #expect(late.isEmpty, "\(late.count) messages left more than 1 s after a receiver accepted that person's STOP")
        let counts = Dictionary(grouping: taken, by: { $0["to"] as? String ?? "" }).mapValues(\.count)
        #expect(counts.values.allSatisfy { $0 == 1 }, "messaged twice: \(counts.filter { $0.value > 1 }.count)")
        let held = try ToolReadout.wave(job.store, "welcome")["by_state"].counts["suppressed", default: 0]
        #expect(held >= stoppers.count - 2, "suppressed \(held) of \(stoppers.count) stoppers")
        _ = statusReceiver.output()
        _ = stopReceiver.output()
    }

    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func twoCampaignSendersSendEachMessageOnceAndKeepTheDailyLimitTogether() throws {
        let database = try PostgresTestDatabase()
        let folder = TempFolder()
        let rows = (0..<30).map { "+49 1512 \(String(format: "%07d", 4_000_000 + $0)),P\($0),DE,,," }
        let store = try CampaignFixtures.job(folder, rows, store: database.address.url)
        let plan = try CampaignFixtures.plan(store, ["--sms-per-day", "20"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let sandbox = try SandboxProcess()
        // The second day: all 30 are due, and 20 a day is the limit of both senders together.
        let arguments = CampaignFixtures.sendArguments(store, sandbox, now: "2026-11-24T12:00:00Z")
        let senders = [
            try Binary.start(arguments, environment: CampaignFixtures.env),
            try Binary.start(arguments, environment: CampaignFixtures.env),
        ]
        for sender in senders { sender.waitUntilExit() }
        #expect(senders.allSatisfy { $0.terminationStatus == 0 })
        var taken = try sandbox.messages().compactMap { $0["to"] as? String }
        #expect(taken.count == 20, "the two senders sent \(taken.count) on a day whose limit is 20")
        #expect(Set(taken).count == taken.count, "someone got two messages")
        let next = try CampaignFixtures.send(store, sandbox, now: "2026-11-25T12:00:00Z")
        #expect(next.status == 0, "\(next.stderr)")
        taken = try sandbox.messages().compactMap { $0["to"] as? String }
        #expect(taken.count == 30 && Set(taken).count == 30, "\(taken.count) messages to \(Set(taken).count) people")
        _ = sandbox.stop()
    }

    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func twoSendersTogetherKeepTheMessagingLimitAndSayWhatWaits() throws {
        let database = try PostgresTestDatabase()
        let job = try WaveJob(count: 300, store: database.address.url)
        let sandbox = try job.sandbox(webhooks: nil, ["--messaging-limit", "250"])
        try job.submitTemplate(sandbox)
        #expect(try job.plan(["--param", "1=name", "--tier", "250"]).status == 0)
        let arguments = job.sendArguments(sandbox, ["--rate", "100", "--json"])
        let results = Together()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            results.add(Result { try Binary.run(arguments, environment: WaveJob.env) })
        }
        let summaries = try results.all.map { try ToolJSON(output: try $0.get()) }
        let sent = summaries.reduce(0) { $0 + ($1["sent"].int ?? 0) }
        let refused = summaries.reduce(0) { $0 + ($1["refused"].counts.values.reduce(0, +)) }
        #expect(sent + refused == 250, "the two senders started \(sent + refused) messages under a limit of 250")
        // The sender that ends last sees the limit used up and the 50 left planned for tomorrow.
        #expect(summaries.contains { $0["waiting_limit"].int == 50 }, "\(summaries.map(\.description))")
        let stats = try sandbox.json("/_sandbox/whatsapp")
        #expect(stats["refusedOverLimit"] as? Int == 0, "the senders kept to the tier themselves")
        #expect(stats["messages"] as? Int == 250)
        _ = sandbox.stop()
    }
}

extension PostgresSendersEndToEndTests {
    /// A receiver's connection cut by the server (a restart, a failover, an admin) costs no body:
    /// the next post reconnects and is kept.
    @Test(.enabled(if: enabled, "no PostgreSQL server for the tests (scripts/test.sh starts one)"))
    func aReceiverWhoseConnectionWasCutKeepsTheNextBody() throws {
        let database = try PostgresTestDatabase()
        let job = try WaveJob(count: 3, store: database.address.url)
        let receiver = try job.serve()
        let first = WebhookEndToEndTests.body(
            messages: #"{"from":"4915100000001","id":"wamid.cut1","timestamp":"1900000000","type":"text","text":{"body":"hi"}}"#)
        #expect(try WaveJob.post(first, to: receiver, signature: WaveJob.signed(first)) == 200)
        let cut = try Auditor.recompute(
            """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
            """, in: job.store)
        #expect((Int(cut.first?.first ?? "") ?? 0) >= 1, "no receiver connection to cut")
        let second = WebhookEndToEndTests.body(
            messages: #"{"from":"4915100000002","id":"wamid.cut2","timestamp":"1900000001","type":"text","text":{"body":"hi"}}"#)
        #expect(try WaveJob.post(second, to: receiver, signature: WaveJob.signed(second)) == 200)
        let kept = try Auditor.recomputeCount("SELECT count(*) FROM webhook_inbox", in: job.store)
        #expect(kept == 2, "\(kept) bodies kept of the 2 answered 200")
        _ = receiver.output()
    }
}

/// What processes run at once gave, collected from their threads.
private final class Together: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Binary.Result, any Error>] = []

    func add(_ result: Result<Binary.Result, any Error>) { lock.withLock { results.append(result) } }

    var all: [Result<Binary.Result, any Error>] { lock.withLock { results } }
}
