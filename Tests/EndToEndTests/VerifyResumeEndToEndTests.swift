import Foundation
import Testing
import WamigrateTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// kill -9 in the middle of verify, then the same command again: every number
/// ends answered, in exactly one answered batch, and only batches that were in
/// flight at the kill can have been asked twice.
@Suite("End to end: verify resumes after kill -9", .serialized)
struct VerifyResumeEndToEndTests {
    @Test(arguments: [600, 2_200])
    func killedVerifyResumesWithNothingLostOrRepeated(_ killAfter: Int) throws {
        let folder = TempFolder()
        let store = try VerifyFixtures.prepare(folder, input: VerifyFixtures.contacts(folder, count: 3_000))
        let sandbox = try SandboxProcess()
        let args = VerifyFixtures.verifyArguments(
            store: store, sandbox: sandbox, extra: ["--batch-size", "100", "--concurrency", "2", "--rate-limit", "1000"])
        let process = try Binary.start(args, environment: VerifyFixtures.password)
        let deadline = Date().addingTimeInterval(30)
        while try sandbox.stat("contactsAnswered") < killAfter, Date() < deadline { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let probe = try StoreProbe(store)
        let doneBefore = try probe.int("SELECT COUNT(*) FROM verify_batches WHERE state = 'done'")
        let inFlight = try probe.int("SELECT COUNT(*) FROM verify_batches WHERE state = 'sent'")
        #expect(doneBefore < 30, "the kill came too late to test anything")

        let status = try Binary.run(["status", "--store", store])
        #expect(status.stdout.contains("batches not yet answered"), "status tells the user a verify is unfinished")
        let resumed = try Binary.run(args + ["--json"], environment: VerifyFixtures.password)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("\"batches_resumed\""))
        #expect(try probe.int("SELECT COUNT(*) FROM registrations") == 3_000)
        #expect(try probe.int("SELECT COUNT(*) FROM verify_batches WHERE state != 'done'") == 0)
        #expect(try probe.int("SELECT COUNT(*) FROM verify_batches") == 30, "no batch re-planned or lost")
        #expect(
            try probe.int(
                """
                SELECT COUNT(*) FROM (SELECT e164 FROM verify_items GROUP BY e164 HAVING COUNT(*) > 1)
                """) == 0)
        // Answered batches were not sent again; only the ones in flight at the kill may have been.
        #expect(try sandbox.stat("numbersAnsweredTwice") <= inFlight * 100)
        #expect(try sandbox.stat("distinctNumbers") == 3_000)
        // The check budget counts what the server answered, re-sent batches included.
        let used = try #require(
            resumed.stdout.split(separator: "\n").first { $0.contains("\"checks_used\"") }
                .flatMap { Int($0.filter(\.isNumber)) })
        // A batch marked sent whose request died with the process may never have reached the
        // server: it counts anyway (never under, at most the batches in flight over).
        let answered = try sandbox.stat("contactsAnswered")
        #expect(used >= answered && used <= answered + inFlight * 100, "budget \(used) vs \(answered) answered")
    }
}
