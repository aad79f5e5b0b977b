import Foundation
import Testing
import WamigrateStore
import WamigrateTestSupport

/// templates submit against the sandbox's template routes.
@Suite("End to end: templates submit", .serialized)
struct TemplatesSubmitEndToEndTests {
    let token = ["WA_TOKEN": "sandbox-token"]

    func converted(_ folder: TempFolder) throws -> String {
        let result = try Binary.run([
            "scenarios", "convert", Binary.packageRoot + "/samples/scenarios", "--out", folder.file("out"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return folder.file("out/templates")
    }

    func submit(
        _ templates: String, _ folder: TempFolder, _ sandbox: SandboxProcess, _ extra: [String] = [], env: [String: String]? = nil
    )
        throws -> Binary.Result
    {
        try Binary.run(
            [
                "templates", "submit", templates, "--store", folder.file("job.sqlite"), "--endpoint", sandbox.url + "/v21.0",
                "--waba-id", "123", "--token-env", "WA_TOKEN",
            ] + extra, environment: env ?? token)
    }

    @Test func createsRecordsSkipsExistingAndKeepsTheHourlyLimit() throws {
        let folder = TempFolder()
        let templates = try converted(folder)
        let sandbox = try SandboxProcess(["--reject-template", "summer_sale=PROMOTIONAL"])
        var result = try submit(templates, folder, sandbox, ["--hourly-limit", "4"])
        #expect(result.status == 75, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("created 4, exists 0, refused 0, deferred 5"))
        let reader = try JobReader(folder.file("job.sqlite"))
        func submissions() throws -> [TemplateSubmission] { try reader.store.submissions(wabaID: "123") }
        #expect(try submissions().filter { $0.state == "created" && $0.templateID != nil }.count == 4)
        // Within the same hour the limit still holds: the 4 created count, nothing more goes.
        result = try submit(templates, folder, sandbox, ["--hourly-limit", "4"])
        #expect(result.status == 75)
        #expect(result.stdout.contains("created 0, exists 4, refused 0, deferred 5"))
        // With room, the rest goes; the ones already there are skipped, never created twice.
        result = try submit(templates, folder, sandbox, ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let items = try #require(summary["items"] as? [[String: Any]])
        #expect(items.filter { $0["outcome"] as? String == "created" }.count == 5)
        #expect(items.filter { $0["outcome"] as? String == "exists" }.count == 4)
        let sale = try #require(items.first { $0["name"] as? String == "summer_sale" })
        #expect(sale["status"] as? String == "REJECTED")
        #expect(sale["reason"] as? String == "PROMOTIONAL")
        #expect(try submissions().filter { $0.state == "created" }.count == 9)
        #expect(try submissions().filter { $0.status == "REJECTED" && $0.reason == "PROMOTIONAL" }.count == 1)
        let login = try submissions().filter { $0.name == "login_code" && $0.answeredCategory == "AUTHENTICATION" }
        #expect(login.count == 1)
    }

    @Test func aRequestInFlightWhenARunDiedCountsAsCreatedNotAgain() throws {
        let folder = TempFolder()
        let templates = try converted(folder)
        let sandbox = try SandboxProcess()
        #expect(try submit(templates, folder, sandbox).status == 0)
        // As if the run died after sending two requests and before storing the answers.
        let store = folder.file("job.sqlite")
        try StoreProbe.tamper(
            store,
            "UPDATE template_submissions SET state = 'sending', template_id = NULL WHERE name IN ('login_code', 'summer_sale')")
        let again = try submit(templates, folder, sandbox, ["--hourly-limit", "9"])
        // All 9 are on the endpoint: nothing is sent again, the two come back as created with their ids,
        // and the hourly limit still counts all 9 (so nothing new could go).
        #expect(again.status == 0, "\(again.stdout)")
        #expect(again.stdout.contains("created 0, exists 9, refused 0, deferred 0"))
        let submissions = try JobReader(store).store.submissions(wabaID: "123")
        #expect(submissions.filter { $0.state == "created" && $0.templateID != nil }.count == 9)
    }

    @Test func refusesToSendTemplatesWithLintErrors() throws {
        let folder = TempFolder()
        let sandbox = try SandboxProcess()
        let bad = folder.write(
            "bad.json",
            #"{"name":"bad","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"{{1}} shipped"}]}"#)
        let result = try submit(bad, folder, sandbox)
        #expect(result.status == 65)
        #expect(result.stderr.contains("E_TEMPLATE_INVALID"))
        #expect(result.stderr.contains("nothing was sent"))
        #expect(try JobReader(folder.file("job.sqlite")).store.submissions(wabaID: "123").isEmpty)
    }

    @Test func theSandboxValidatesLikeTheLinterAndAWrongTokenStopsTheRun() throws {
        let folder = TempFolder()
        let templates = try converted(folder)
        let sandbox = try SandboxProcess()
        let denied = try submit(templates, folder, sandbox, [], env: ["WA_TOKEN": "wrong"])
        #expect(denied.status == 69)
        #expect(denied.stderr.contains("E_AUTH"))
        #expect(!denied.stderr.contains("wrong"))
        // Sent straight to the sandbox, a template with adjacent parameters is refused with the rule id.
        let body =
            #"{"name":"adj","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"Hi {{1}} {{2}} thanks for your order today","example":{"body_text":[["a","b"]]}}]}"#
        let answer = try post(body, to: sandbox.url + "/123/message_templates")
        #expect(answer.status == 400)
        #expect(answer.body.contains("T073"))
        // A UTILITY template with promotional wording is accepted and answered as MARKETING.
        let promo =
            #"{"name":"promo","language":"en","category":"UTILITY","components":[{"type":"BODY","text":"Your order has shipped. Enjoy 20% off your next order with our summer sale!"}]}"#
        let recategorized = try post(promo, to: sandbox.url + "/123/message_templates")
        #expect(recategorized.status == 200)
        #expect(recategorized.body.contains(#""category":"MARKETING""#))
    }

    /// A raw POST through curl(1), outside the client under test.
    func post(_ body: String, to url: String) throws -> (status: Int, body: String) {
        let task = Process()
        task.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        task.arguments = [
            "curl", "-s", "-w", "\n%{http_code}", "-H", "Authorization: Bearer sandbox-token", "-H",
            "Content-Type: application/json", "--data-binary", body, url,
        ]
        let pipe = Pipe()
        task.standardOutput = pipe
        try task.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        task.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return (Int(text.split(separator: "\n").last ?? "") ?? 0, text)
    }
}
