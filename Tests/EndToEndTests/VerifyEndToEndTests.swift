import Foundation
import Testing
import WamigrateTestSupport

/// verify against the sandbox, through the built binary: faults, expiry, the
/// budget, the non-discriminating warning, and resuming after kill -9.
@Suite("End to end: verify against the sandbox", .serialized)
struct VerifyEndToEndTests {
    @Test func faultInjectionRunChecksEveryContactExactlyOnce() throws {
        let folder = TempFolder()
        let store = try VerifyFixtures.prepare(folder, input: VerifyFixtures.contacts(folder, count: 2_400))
        let sandbox = try SandboxProcess([
            "--faults", "429=0.08,500=0.05,503=0.04,truncated=0.05,malformed=0.05,timeout=0.04,expire=0.04",
            "--hang-seconds", "3", "--seed", "11",
        ])
        let result = try Binary.run(
            VerifyFixtures.verifyArguments(
                store: store, sandbox: sandbox,
                extra: ["--batch-size", "20", "--concurrency", "4", "--timeout", "1.5", "--json"]),
            environment: VerifyFixtures.password)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("ETA"), "no progress line when stderr is not a terminal")
        let summary = try ToolJSON(output: result)["verify"]
        let answers = try JobReader(store).store.registrations()
        // Every number has one answer, from exactly one answered batch of at most 20.
        #expect(answers.count == 2_400 && answers.allSatisfy { $0.verifier == "contacts-api" })
        #expect(summary["planned"].int == 2_400 && summary["checked"].int == 2_400, "\(summary)")
        #expect(summary["batches"].int == 120, "2,400 numbers in batches of 20, none twice: \(summary)")
        #expect(try ToolReadout.status(store)["open_batches"].int == 0)
        #expect(try JobReader(store).store.verifyBatchRecords().map(\.size).max() == 20)
        // The server saw every fault kind and still answered each number once.
        for kind in ["429", "500", "503", "truncated", "malformed", "timeout", "expire"] {
            #expect(try sandbox.fault(kind) > 0, "no \(kind) fault was injected")
        }
        #expect(try sandbox.stat("distinctNumbers") == 2_400)
        #expect(try sandbox.stat("numbersAnsweredTwice") == 0)
        #expect(try sandbox.stat("logins") >= 2, "expired tokens must lead to new logins")
        #expect((summary["requests"].int ?? 0) > 120, "faults must have caused retries: \(summary)")
        #expect(sandbox.stop() == 0)
    }

    @Test func tokenExpiryMidRunIsRenewed() throws {
        let folder = TempFolder()
        let store = try VerifyFixtures.prepare(folder, input: VerifyFixtures.contacts(folder, count: 600))
        let sandbox = try SandboxProcess(["--token-lifetime", "2"])
        // Tokens live 2 s; the rate limit makes the run take about 3 s.
        let result = try Binary.run(
            VerifyFixtures.verifyArguments(
                store: store, sandbox: sandbox, extra: ["--batch-size", "50", "--rate-limit", "200", "--concurrency", "2"]),
            environment: VerifyFixtures.password)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sandbox.stat("logins") >= 2)
        #expect(try sandbox.stat("numbersAnsweredTwice") == 0)
        #expect(try JobReader(store).store.registrations().count == 600)
    }

    @Test func rateLimitIsNeverExceeded() throws {
        let folder = TempFolder()
        let store = try VerifyFixtures.prepare(folder, input: VerifyFixtures.contacts(folder, count: 1_500))
        let sandbox = try SandboxProcess()
        let result = try Binary.run(
            VerifyFixtures.verifyArguments(
                store: store, sandbox: sandbox, extra: ["--batch-size", "100", "--rate-limit", "500", "--concurrency", "4"]),
            environment: VerifyFixtures.password)
        #expect(result.status == 0, "\(result.stderr)")
        // 15 batches at 500 checks/s start 0.2 s apart: the 14 gaps take 2.8 s. The server's
        // one-second windows can catch one extra batch from arrival jitter, never more.
        let stats = try sandbox.stats()
        let spread = (stats["lastAnswerSeconds"] as! Double) - (stats["firstAnswerSeconds"] as! Double)
        #expect(spread >= 2.7)
        #expect(1_400 / spread <= 500 * 1.02, "paced above the limit")
        #expect(try sandbox.stat("maxContactsInOneSecond") <= 600)
    }

    @Test func secondRunReusesFreshAnswersAndBudgetRefusesRechecks() throws {
        let folder = TempFolder()
        let store = try VerifyFixtures.prepare(folder, input: VerifyFixtures.contacts(folder, count: 300))
        let sandbox = try SandboxProcess()
        let args = VerifyFixtures.verifyArguments(store: store, sandbox: sandbox)
        #expect(try Binary.run(args, environment: VerifyFixtures.password).status == 0)
        let requests = try sandbox.stat("contactRequests")
        #expect(try Binary.run(args, environment: VerifyFixtures.password).status == 0)
        #expect(try sandbox.stat("contactRequests") == requests, "fresh answers must not be checked again")

        let forced = try Binary.run(args + ["--force-check"], environment: VerifyFixtures.password)
        #expect(forced.status == 67)
        #expect(forced.stderr.contains("E_OVER_BUDGET"))
        #expect(try sandbox.stat("contactRequests") == requests)
        let allowed = try Binary.run(args + ["--force-check", "--allow-over-budget"], environment: VerifyFixtures.password)
        #expect(allowed.status == 0)
        #expect(try sandbox.stat("contactsAnswered") == 600)
        // The report names the budget verify applied, what it used, and flags the overrun.
        #expect(try Binary.run(["report", "--store", store, "--out", folder.file("report")]).status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(folder.read("report/report.json").utf8)) as? [String: Any]
        let verification = try #require(
            (report?["sections"] as? [[String: Any]])?.first { $0["id"] as? String == "verification" })
        let figures = Dictionary(
            uniqueKeysWithValues: (verification["figures"] as? [[String: Any]] ?? []).map {
                ($0["id"] as? String ?? "", $0["value"] as? Int ?? -1)
            })
        #expect(figures["verification.budget"] == 300, "\(figures)")
        #expect(figures["verification.over_budget"] == 300, "\(figures)")
        #expect(
            (verification["notes"] as? [String] ?? []).contains {
                $0.hasPrefix("OVER BUDGET: 300 checks beyond the budget of 300")
            })
        #expect(folder.read("report/report.html").contains("OVER BUDGET"))
        // Answers older than the maximum age are checked again.
        let aged = try Binary.run(args + ["--max-age-days", "0", "--budget", "900"], environment: VerifyFixtures.password)
        #expect(aged.status == 0, "\(aged.stderr)")
        #expect(try sandbox.stat("contactsAnswered") == 900)
    }

    @Test func onlyTheNumbersInTheRegisteredFileAreOnWhatsApp() throws {
        let folder = TempFolder()
        let store = try VerifyFixtures.prepare(folder, input: VerifyFixtures.contacts(folder, count: 5))
        let registered = folder.write("registered.txt", "# on WhatsApp\n+4915120000001\n4915120000003\n")
        let sandbox = try SandboxProcess(["--registered", registered])
        let result = try Binary.run(
            VerifyFixtures.verifyArguments(store: store, sandbox: sandbox), environment: VerifyFixtures.password)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try JobReader(store).store.registrations().filter { $0.status == .onWhatsApp }.map(\.e164) == [
                "+4915120000001", "+4915120000003",
            ])
    }

    @Test func batchesAboveAThousandAreRefusedBeforeAnythingIsSent() throws {
        let folder = TempFolder()
        let store = try VerifyFixtures.prepare(folder, input: VerifyFixtures.contacts(folder, count: 5))
        let sandbox = try SandboxProcess()
        let result = try Binary.run(
            VerifyFixtures.verifyArguments(store: store, sandbox: sandbox, extra: ["--batch-size", "1001"]),
            environment: VerifyFixtures.password)
        #expect(result.status == 64, "a flag value is a usage error")
        #expect(result.stderr.contains("--batch-size 1001 is out of range") && result.stderr.contains("Usage:"))
        #expect(try sandbox.stat("logins") == 0)
    }

    @Test func progressIsDrawnOnATerminal() throws {
        let folder = TempFolder()
        let store = try VerifyFixtures.prepare(folder, input: VerifyFixtures.contacts(folder, count: 300))
        let sandbox = try SandboxProcess()
        let command =
            ([Binary.path] + VerifyFixtures.verifyArguments(store: store, sandbox: sandbox, extra: ["--batch-size", "100"]))
            .map { "'\($0)'" }.joined(separator: " ")
        // script(1) gives the command a pseudo-terminal, as a user's shell would.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.environment = ProcessInfo.processInfo.environment.merging(VerifyFixtures.password) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("verify: 300/300 checks") && text.contains("ETA"), "in checks, the unit of --rate-limit")
    }

    @Test func nonDiscriminatingEndpointIsFlagged() throws {
        let folder = TempFolder()
        let input = VerifyFixtures.contacts(folder, count: 40, fixedLines: 5)
        let store = try VerifyFixtures.prepare(folder, input: input)
        let sandbox = try SandboxProcess(["--all-valid"])
        let result = try Binary.run(
            VerifyFixtures.verifyArguments(store: store, sandbox: sandbox), environment: VerifyFixtures.password)
        #expect(result.status == 0)
        #expect(result.stderr.contains("not discriminating"))
        #expect(result.stdout.contains("WARNING"))
        // The answers are kept as unknown, so nobody lands in whatsapp_ready on their strength.
        let answers = try JobReader(store).store.registrations()
        #expect(answers.filter { $0.status == .onWhatsApp }.isEmpty)
        #expect(answers.filter { $0.answer == "valid" }.count == 45)

        // A discriminating endpoint on the same numbers raises no warning.
        let other = TempFolder()
        let store2 = try VerifyFixtures.prepare(other, input: VerifyFixtures.contacts(other, count: 40, fixedLines: 5))
        let normal = try SandboxProcess()
        let quiet = try Binary.run(
            VerifyFixtures.verifyArguments(store: store2, sandbox: normal), environment: VerifyFixtures.password)
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("not discriminating"))
    }

    @Test func badCredentialsAndMissingPasswordChangeFailClearly() throws {
        let folder = TempFolder()
        let store = try VerifyFixtures.prepare(folder, input: VerifyFixtures.contacts(folder, count: 10))
        let sandbox = try SandboxProcess()
        let noChange = try Binary.run(
            [
                "verify", "--store", store, "--verifier", "contacts-api", "--endpoint", sandbox.url, "--user", "admin",
                "--password-env", "WA_PASSWORD",
            ], environment: VerifyFixtures.password)
        #expect(noChange.status == 69)
        #expect(noChange.stderr.contains("E_AUTH") && noChange.stderr.contains("1024"))
        let wrong = try Binary.run(
            VerifyFixtures.verifyArguments(store: store, sandbox: sandbox),
            environment: ["WA_PASSWORD": "nope", "WA_NEW_PASSWORD": "N3w-Passw0rd!"])
        #expect(wrong.status == 69)
        #expect(wrong.stderr.contains("login refused"))
        #expect(!wrong.stderr.contains("nope"), "passwords never appear in errors")
        #expect(try JobReader(store).store.registrations().isEmpty, "no batch was answered")
    }
}
