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

        let reader = try JobReader(store)
        let before = try reader.store.verifyBatchRecords()
        let doneBefore = before.filter { $0.state == .done }.count
        let inFlight = before.filter { $0.state == .sent }.count
        #expect(doneBefore < 30, "the kill came too late to test anything")

        let status = try Binary.run(["status", "--store", store])
        #expect(status.stdout.contains("batches not yet answered"), "status tells the user a verify is unfinished")
        let resumed = try Binary.run(args + ["--json"], environment: VerifyFixtures.password)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("\"batches_resumed\""))
        #expect(try reader.store.registrations().count == 3_000)
        let batches = try reader.store.verifyBatchRecords()
        #expect(batches.allSatisfy { $0.state == .done })
        #expect(batches.count == 30, "no batch re-planned or lost")
        // 3,000 numbers answered from 30 batches of at most 100: no number is in two batches.
        #expect(batches.allSatisfy { $0.size <= 100 } && batches.map(\.size).reduce(0, +) == 3_000)
        #expect(try ToolJSON(output: resumed)["verify"]["batches_resumed"].int == 30 - doneBefore)
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
