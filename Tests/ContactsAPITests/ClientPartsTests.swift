import Foundation
import Testing
import WamigrateHTTP
import WamigrateStore

@testable import ContactsAPI
@testable import Sandbox
@testable import WamigrateCore

@Suite("Retry policy, pacing and answer parsing")
struct ClientPartsTests {
    @Test(arguments: [(1, 0.2), (2, 0.4), (3, 0.8), (10, 20.0)])
    func backoffGrowsExponentiallyUpToTheCap(_ attempt: Int, _ ceiling: Double) {
        let policy = RetryPolicy()
        #expect(abs(policy.delay(after: attempt, retryAfter: nil, random: 1) - ceiling) < 1e-9)
        #expect(policy.delay(after: attempt, retryAfter: nil, random: 0) == 0, "full jitter starts at zero")
    }

    @Test func retryAfterReplacesTheBackoff() {
        let policy = RetryPolicy()
        #expect(policy.delay(after: 1, retryAfter: 3, random: 0) == 3)
        #expect(policy.delay(after: 1, retryAfter: 1_000, random: 0) == 120, "capped")
    }

    @Test func retryAfterHeaderTakesSecondsOrADate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let seconds = HTTPResponse(status: 429, headers: [("retry-after", "7")], body: Data())
        #expect(seconds.retryAfter(now: now) == 7)
        let date = HTTPResponse(status: 429, headers: [("Retry-After", "Tue, 14 Nov 2023 22:13:30 GMT")], body: Data())
        #expect(date.retryAfter(now: now) == 10)
        #expect(HTTPResponse(status: 429, headers: [], body: Data()).retryAfter(now: now) == nil)
    }

    @Test func pacerSpacesRequestsByCostOverRate() {
        let pacer = RatePacer(perSecond: 1_000)
        let start = Date()
        for _ in 0..<5 { pacer.acquire(cost: 100) }  // starts at 0, .1, .2, .3, .4 s
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 0.39 && elapsed < 0.6)
    }

    @Test func answersMustCoverEveryInputExactlyOnce() {
        let inputs = ["+491", "+492"]
        let good = Data(
            #"{"contacts":[{"input":"+492","status":"invalid"},{"input":"+491","status":"valid","wa_id":"491"}]}"#.utf8)
        #expect(
            ContactsAPIClient.answers(good, for: inputs) == [
                CheckAnswer(input: "+491", answer: "valid", waID: "491"),
                CheckAnswer(input: "+492", answer: "invalid", waID: nil),
            ])
        let missing = Data(#"{"contacts":[{"input":"+491","status":"valid"}]}"#.utf8)
        #expect(ContactsAPIClient.answers(missing, for: inputs) == nil)
        let doubled = Data(#"{"contacts":[{"input":"+491","status":"valid"},{"input":"+491","status":"valid"}]}"#.utf8)
        #expect(ContactsAPIClient.answers(doubled, for: inputs) == nil)
        #expect(ContactsAPIClient.answers(Data("{\"contacts\": [".utf8), for: inputs) == nil)
        let envelope = Data(#"{"errors":[{"code":1015,"title":"Too many requests"}]}"#.utf8)
        #expect(ContactsAPIClient.answers(envelope, for: inputs) == nil)
        #expect(ContactsAPIClient.apiErrors(envelope) == "1015 Too many requests")
    }

    @Test func expiresAfterParsesTheAPIForm() {
        let date = TokenSession.parseExpiry("2018-03-01 15:29:26+00:00")
        #expect(date == Date(timeIntervalSince1970: 1_519_918_166))
    }
}

@Suite("Sandbox answers")
struct SandboxAnswerTests {
    @Test func faultPlanParsesAndRejectsNonsense() throws {
        let plan = try FaultPlan(parsing: "429=0.05,500=0.02,slow=0.01")
        #expect(plan.rates == [.tooMany: 0.05, .internalError: 0.02, .slow: 0.01])
        #expect(throws: SandboxConfigError.self) { try FaultPlan(parsing: "418=0.1") }
        #expect(throws: SandboxConfigError.self) { try FaultPlan(parsing: "429=2") }
        #expect(throws: SandboxConfigError.self) { try FaultPlan(parsing: "429=0.6,500=0.6") }
    }

    @Test func faultRatesAreHonouredOverManyRequests() {
        let plan = FaultPlan(rates: [.tooMany: 0.1, .internalError: 0.05])
        let draws = (0..<20_000).compactMap { plan.draw(sequence: UInt64($0), seed: 3) }
        let tooMany = draws.filter { $0 == .tooMany }.count
        #expect(abs(Double(tooMany) / 20_000 - 0.1) < 0.01)
        #expect(abs(Double(draws.count - tooMany) / 20_000 - 0.05) < 0.01)
    }

    @Test func brazilAndMexicoQuirks() {
        let book = RegistrationBook(
            registered: ["5511987654321", "5511912345678", "525512345678"], rate: 0, seed: 1, allValid: false)
        let answers = [book.answer(digits: "5511987654321"), book.answer(digits: "5511912345678")]
        // Both forms of a Brazilian mobile reach the same subscriber.
        #expect(book.answer(digits: "551187654321") == answers[0])
        #expect(answers.allSatisfy { if case .valid = $0 { true } else { false } })
        #expect(book.answer(digits: "525512345678") == .valid(waID: "5215512345678"))
        #expect(book.answer(digits: "5215512345678") == .valid(waID: "5215512345678"))
        #expect(book.answer(digits: "4915100000000") == .invalid)
        #expect(book.answer(digits: "123") == .invalid)
    }

    @Test func registrationRateIsDeterministicAndClose() {
        let book = RegistrationBook(registered: nil, rate: 0.7, seed: 9, allValid: false)
        let numbers = (0..<10_000).map { "4915\(String(format: "%09d", $0))" }
        let valid = numbers.filter { book.answer(digits: $0) != .invalid }.count
        #expect(abs(Double(valid) / 10_000 - 0.7) < 0.02)
        #expect(numbers.filter { book.answer(digits: $0) != .invalid }.count == valid)
    }

    @Test func waIDFormsMatchTheSandboxQuirks() {
        #expect(WaIDForms.alternatives("551187654321") == ["5511987654321"])
        #expect(WaIDForms.alternatives("5511987654321") == ["551187654321"])
        #expect(WaIDForms.alternatives("5215512345678") == ["525512345678"])
        #expect(WaIDForms.alternatives("4915123456789").isEmpty)
    }

    @Test func discriminationCheckNeedsFixedLinesAndASample() {
        var check = DiscriminationCheck()
        for _ in 0..<30 { check.add(answer: "valid", numberType: "mobile") }
        #expect(!check.fires, "mobiles alone prove nothing")
        check.add(answer: "valid", numberType: "fixed_line")
        #expect(check.fires)
        for _ in 0..<2 { check.add(answer: "invalid", numberType: "mobile") }
        #expect(!check.fires, "below 99 %")
    }

    @Test(arguments: [
        (#"{"blocking":"wait"}"#, 1008),
        (#"{"contacts":"+4915123456789"}"#, 1009),
        (#"{"contacts":[4915123456789]}"#, 1009),
        (#"{"contacts":[]}"#, 1009),
        (#"{"contacts":["+49"],"blocking":"soon"}"#, 1009),
        (#"{"contacts":["+49"],"force_check":"yes"}"#, 1009),
        ("[1,2]", 1009),
        ("not json", 1009),
    ])
    func badContactsRequestsGetTheDocumentedCodes(_ body: String, _ code: Int) {
        guard case .failure(let problem) = ContactsRoute.parse(Data(body.utf8), max: 1000) else {
            Issue.record("accepted \(body)")
            return
        }
        #expect(problem.code == code)
    }

    @Test func contactsRequestsDefaultToNoWaitAndCapTheBatch() {
        guard case .success(let parsed) = ContactsRoute.parse(Data(#"{"contacts":["+491","+492"]}"#.utf8), max: 1000)
        else {
            Issue.record("refused a valid body")
            return
        }
        #expect(parsed.contacts == ["+491", "+492"] && !parsed.wait)
        let many = "{\"contacts\":[" + Array(repeating: "\"+491\"", count: 1001).joined(separator: ",") + "]}"
        guard case .failure(let problem) = ContactsRoute.parse(Data(many.utf8), max: 1000) else {
            Issue.record("accepted 1001 contacts")
            return
        }
        #expect(problem.code == 1009)
    }

    @Test func passwordRules() {
        #expect(LoginRoute.isStrong("N3w-Passw0rd!"))
        #expect(!LoginRoute.isStrong("password"))
        #expect(!LoginRoute.isStrong("Sh0rt!"))
    }
}
