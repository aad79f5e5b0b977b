import Foundation
import Testing
import WamigrateTestSupport

/// scenarios convert / lint / simulate on the samples and on constructed inputs.
@Suite("End to end: scenario conversion, lint and simulation")
struct ScenariosEndToEndTests {
    static let samples = Binary.packageRoot + "/samples/scenarios"

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func convert(_ inputs: [String], _ folder: TempFolder, extra: [String] = []) throws -> Binary.Result {
        try Binary.run(["scenarios", "convert"] + inputs + ["--out", folder.file("out")] + extra)
    }

    @Test func everySampleConvertsToTemplatesThatLintClean() throws {
        let folder = TempFolder()
        let result = try convert([Self.samples], folder)
        #expect(result.status == 0, "\(result.stderr)")
        let templates = try FileManager.default.contentsOfDirectory(atPath: folder.file("out/templates"))
        #expect(templates.count == 9)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("out/drafts")).isEmpty)
        let lint = try Binary.run(["scenarios", "lint", folder.file("out/templates"), "--json"])
        #expect(lint.status == 0, "\(lint.stdout)")
        let summary = try json(lint.stdout)
        #expect(summary["errors"] as? Int == 0)
        #expect(summary["templates"] as? Int == 9)
        // The report names every input artifact: 8 SMS templates, the keyword file, 2 Viber files, 2 scripts skipped.
        let report = try json(folder.read("out/report.json"))
        let artifacts = try #require(report["artifacts"] as? [[String: Any]])
        #expect(artifacts.filter { $0["kind"] as? String == "sms_template" }.count == 8)
        #expect(artifacts.filter { $0["status"] as? String == "skipped" }.count == 2)
        #expect(folder.read("out/report.md").contains("## summer_sale (sms_template, converted)"))
    }

    @Test(arguments: ["order_tracking", "keyword_replies"])
    func sampleScriptsPass(_ flow: String) throws {
        let folder = TempFolder()
        _ = try convert([Self.samples], folder)
        let result = try Binary.run([
            "scenarios", "simulate", folder.file("out/flows/\(flow).json"), "--script", "\(Self.samples)/\(flow).test.yml",
        ])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("passed"))
    }

    @Test func simulatorReportsEveryMismatchAndFails() throws {
        let folder = TempFolder()
        _ = try convert([Self.samples], folder)
        let script = folder.write(
            "wrong.yml",
            """
            steps:
              - text: hi
                expect: { state: welcome, contains: Goodbye, buttons: [Track my order] }
              - button: not_there
              - button: track
              - wait_hours: 30
                expect: { template: order_tracking_reminder }
            """)
        let result = try Binary.run([
            "scenarios", "simulate", folder.file("out/flows/order_tracking.json"), "--script", script, "--json",
        ])
        #expect(result.status == 1)
        let output = try json(result.stdout)
        let steps = try #require(output["steps"] as? [[String: Any]])
        let first = try #require(steps[0]["mismatches"] as? [String])
        #expect(first.contains { $0.contains("Goodbye") })
        #expect(first.contains { $0.contains("offered [Track my order, Find a store, Talk to us]") })
        #expect((steps[1]["mismatches"] as? [String])?.first?.contains("not_there was not offered") == true)
        // 30 h of silence < the 48 h timeout: nothing is sent.
        #expect((steps[3]["mismatches"] as? [String])?.contains { $0.contains("not sent") } == true)
    }

    @Test func longTimeoutsBecomeTemplatesAndSessionMessagesAfterTheWindowFail() throws {
        let folder = TempFolder()
        let flow = folder.write(
            "late.viber.json",
            """
            {"name":"late","start":"a","states":{
              "a":{"message":{"type":"text","text":"Hello, how can we help with your order?"},"default":"a","timeout":{"after_hours":3,"to":"b"}},
              "b":{"message":{"type":"text","text":"Your order is still open. Are you there?"},"default":"a","timeout":{"after_hours":30,"to":"c"}},
              "c":{"message":{"type":"text","text":"Your order was closed."},"default":"a"}}}
            """)
        _ = try convert([flow], folder)
        // c follows 30 silent hours, so the converter made it a template; b (3 h) stays a session message.
        #expect(FileManager.default.fileExists(atPath: folder.file("out/templates/late_c.en.json")))
        let script = folder.write(
            "s.yml",
            "steps:\n  - text: hi\n  - wait_hours: 3\n    expect: { state: b }\n  - wait_hours: 30\n    expect: { template: late_c }\n"
        )
        var result = try Binary.run(["scenarios", "simulate", folder.file("out/flows/late.json"), "--script", script])
        #expect(result.status == 0, "\(result.stdout)")
        // A hand-edited flow that sends a session message 30 h after the user wrote fails (131047).
        let edited = folder.read("out/flows/late.json").replacingOccurrences(
            of: "\"after_hours\" : 3,", with: "\"after_hours\" : 30,")
        let editedPath = folder.write("edited.json", edited)
        let script2 = folder.write("s2.yml", "steps:\n  - text: hi\n  - wait_hours: 30\n")
        result = try Binary.run(["scenarios", "simulate", editedPath, "--script", script2])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL step 2"))
        #expect(result.stdout.contains("131047"))
    }

    @Test func lintNamesRuleLocationAndFixAndFailsOnErrors() throws {
        let folder = TempFolder()
        let bad = folder.write(
            "bad.json",
            """
            {"name":"Promo-1","language":"en","category":"MARKETING","components":[
              {"type":"BODY","text":"{{1}}, our sale starts now"},
              {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Yes"},{"type":"URL","text":"Shop","url":"https://a.example"},{"type":"QUICK_REPLY","text":"No"}]}]}
            """)
        let result = try Binary.run(["scenarios", "lint", bad, "--json"])
        #expect(result.status == 1)
        let findings = try #require(try json(result.stdout)["findings"] as? [[String: Any]])
        let rules = Set(findings.compactMap { $0["rule"] as? String })
        #expect(rules.isSuperset(of: ["T001", "T056", "T072", "T080"]))
        let grouping = try #require(findings.first { $0["rule"] as? String == "T056" })
        #expect(grouping["component"] as? String == "BUTTONS")
        #expect(grouping["file"] as? String == bad)
        let text = try Binary.run(["scenarios", "lint", bad])
        #expect(text.stdout.contains("error T056"))
        #expect(text.stdout.contains("fix: order the buttons"))
    }
}

/// Conversion time grows with the input, not with its square: keyword replies with `next`
/// lists took 1.5 s at 1,000 rows and 18 s at 4,000 (two lookups per offered keyword
/// scanned every row). The ratio is checked, not a time: 4× the rows in under 10× the time
/// (the quadratic code took 14×), the best of two runs each.
@Suite("End to end: scenario conversion grows linearly")
struct ScenarioGrowthEndToEndTests {
    static func keywordFile(_ folder: TempFolder, rows: Int) -> String {
        var lines = ["keywords,reply,next,label,language"]
        for i in 0..<rows {
            let next = (1...3).map { "K\((i + $0) % rows)" }.joined(separator: "|")
            lines.append("K\(i),\"Reply \(i), choose next\",\(next),Label \(i),en")
        }
        return folder.write("kw\(rows).csv", lines.joined(separator: "\n") + "\n")
    }

    @Test func keywordRepliesAtFourTimesTheRows() throws {
        let folder = TempFolder()
        func seconds(_ rows: Int) throws -> Double {
            let file = Self.keywordFile(folder, rows: rows)
            var best = Double.infinity
            for attempt in 0..<2 {
                let start = Date()
                let result = try Binary.run(["scenarios", "convert", file, "--out", folder.file("out\(rows)-\(attempt)")])
                #expect(result.status == 0, "\(result.stderr)")
                best = min(best, Date().timeIntervalSince(start))
            }
            return best
        }
        let small = try seconds(1_000)
        let large = try seconds(4_000)
        #expect(large / small < 10, "1,000 rows: \(small) s, 4,000 rows: \(large) s")
    }
}
