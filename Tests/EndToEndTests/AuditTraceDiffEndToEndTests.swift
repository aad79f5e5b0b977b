import Foundation
import Testing
import WamigrateTestSupport

private typealias F = ReportFixtures

/// Masking, trace and diff on constructed jobs, through the built binary.
@Suite("End to end: masking, trace and diff")
struct AuditTraceDiffEndToEndTests {
    @Test func maskedOutputNeverCarriesAFullNumberNameOrEmail() throws {
        let folder = TempFolder()
        let sandbox = try SandboxProcess(["--registered-rate", "0.7"])
        let run = try F.runSamples(folder, sandbox, extra: ["--verbose"])
        #expect(run.status == 0, "\(run.stderr)")
        let store = folder.file("job.sqlite")
        #expect(try F.report(store, folder.file("report")).status == 0)
        #expect(try F.runSamples(folder, sandbox).status == 0)
        let secrets = try F.secrets(store)
        #expect(secrets.count > 40, "the scan has something to look for")
        var outputs = ["run log": run.stderr + run.stdout]
        for name in ["report.json", "report.md", "report.html"] { outputs[name] = folder.read("report/\(name)") }
        let reader = try JobReader(store)
        let lookups =
            try reader.contacts().compactMap(\.e164) + reader.viberOnly().compactMap { $0.viberID.map { "viber:" + $0 } }
        let status = try ToolReadout.status(store)
        #expect(lookups.count == (status["contacts"].int ?? 0) + (status["viber_only_contacts"].int ?? 0), "every contact")
        for lookup in lookups {
            let trace = try Binary.run(["trace", lookup, "--store", store])
            #expect(trace.status == 0, "\(trace.stderr)")
            outputs["trace"] = (outputs["trace"] ?? "") + trace.stdout + trace.stderr
        }
        for record in 1...4 {
            let trace = try Binary.run(["trace", "sms_subscribers.csv:\(record)", "--store", store, "--json"])
            outputs["trace json"] = (outputs["trace json"] ?? "") + trace.stdout
        }
        let diff = try Binary.run(["diff", "1", "2", "--store", store, "--sample", "50"])
        #expect(diff.status == 0, "\(diff.stderr)")
        outputs["diff"] = diff.stdout
        // Errors about a person: a number that is not in the job, a malformed one.
        for bad in ["+4915199999999", "4915123456789"] {
            let result = try Binary.run(["trace", bad, "--store", store])
            outputs["errors"] = (outputs["errors"] ?? "") + result.stdout + result.stderr
        }
        for (name, text) in outputs {
            #expect(F.leaks(secrets, in: text).isEmpty, "\(name) leaks \(F.leaks(secrets, in: text).prefix(3))")
            #expect(!text.contains("4915199999999") && !text.contains("4915123456789"), "\(name)")
        }
        #expect(outputs["report.html"]?.contains("+49 1512 ••• ••89") == true, "numbers are masked, not dropped")
        // The scan can fail: the same report unmasked shows them, and says so.
        #expect(try F.report(store, folder.file("open"), ["--unmasked"]).status == 0)
        let open = folder.read("open/report.html") + folder.read("open/report.json")
        #expect(!F.leaks(secrets, in: open).isEmpty)
        #expect(open.contains("UNMASKED"))
        _ = sandbox.stop()
    }

    @Test func keyedHashesJoinTwoJobsWithoutShowingTheNumber() throws {
        let rows = ["+4915120000001,Anna Alt,DE,yes,2025-01-01,de", "+4915120000002,Bernd Berg,DE,yes,2025-01-01,de"]
        let first = TempFolder(), second = TempFolder()
        let storeA = try CampaignFixtures.job(first, rows)
        let storeB = try CampaignFixtures.job(second, [rows[0]])
        func address(_ store: String, _ key: String) throws -> String {
            let result = try Binary.run(
                ["trace", "+4915120000001", "--store", store, "--hash-key-env", "JOIN_KEY", "--json"],
                environment: ["JOIN_KEY": key])
            #expect(result.status == 0, "\(result.stderr)")
            let trace = try CampaignFixtures.json(result)
            #expect(trace["masking"] as? String == "hmac-sha256")
            #expect(!result.stdout.contains("4915120000001"))
            return trace["address"] as? String ?? ""
        }
        let key = "a-shared-secret-of-32-characters"
        let a = try address(storeA, key)
        #expect(a.hasPrefix("hmac:") && a.count == 21)
        #expect(try address(storeB, key) == a, "the same number under the same key joins")
        #expect(try address(storeB, "another-key-of-32-characters-xx") != a)
        let short = try Binary.run(
            ["report", "--store", storeA, "--out", first.file("r"), "--hash-key-env", "JOIN_KEY"],
            environment: ["JOIN_KEY": "short"])
        #expect(short.status == 64)
        #expect(short.stderr.contains("JOIN_KEY is not set or shorter than 16 characters"))
    }

    @Test func traceExplainsEachRowNormalizationMergeRuleAndList() throws {
        let folder = TempFolder()
        let store = try CampaignFixtures.job(
            folder,
            [
                "0151 2000 0001,Anna Alt,DE,yes,2024-01-01,de",
                "12,Nobody,DE,yes,2024-01-01,de",
                "+49 151 20000001,Anna Neu,DE,no,2025-06-01,de",
            ])
        var result = try Binary.run(["trace", "+49 151 2000 0001", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(
            text.contains("row sms.csv:1 (line 2): \"•••• •••• ••01\" → ok +49 1512 ••• ••01, DE from row_country, mobile; kept"))
        #expect(
            text.contains("row sms.csv:3 (line 4): \"+•• ••• ••••••01\" → ok +49 1512 ••• ••01, DE from plus, mobile; merged"))
        #expect(text.contains("field name: A••• N••• from sms.csv:3 (most recent row with a name, then source priority)"))
        #expect(text.contains("field consent: opted_out at 2025-06-01T00:00:00Z from sms.csv:3 (sticky_opt_out)"))
        #expect(text.contains("whatsapp: not checked"))
        #expect(text.contains("import list: rejected (opted_out)"))
        #expect(text.contains("ledger #2 opt_out via export:sms at 2025-06-01T00:00:00Z"))
        #expect(!text.contains("Anna") && !text.contains("20000001"))
        // By contact id, the same contact; unmasked only when asked.
        let id = try #require(try JobReader(store).contacts().first?.contactID)
        result = try Binary.run(["trace", id, "--store", store, "--unmasked", "--json"])
        let trace = try CampaignFixtures.json(result)
        #expect(trace["contact_id"] as? String == id)
        #expect(trace["masking"] as? String == "unmasked")
        let rows = try #require(trace["source_rows"] as? [[String: Any]])
        #expect(rows.map { $0["raw"] as? String } == ["0151 2000 0001", "+49 151 20000001"])
        // A rejected row, by file:record: its reason and its list.
        result = try Binary.run(["trace", "sms.csv:2", "--store", store])
        #expect(result.stdout.contains("row sms.csv:2 (line 3): \"12\" → rejected, reason "))
        #expect(result.stdout.contains("import list: rejected ("))
        // The ledger's evidence names the source without its extension: that pointer opens the same row.
        let byName = try Binary.run(["trace", "sms:2", "--store", store])
        #expect(byName.status == 0 && byName.stdout.contains("row sms.csv:2 (line 3)"), "\(byName.stdout)\(byName.stderr)")
        result = try Binary.run(["trace", "sms.csv:9", "--store", store])
        #expect(result.status == 64)
        #expect(result.stderr.contains("no record 9 of 'sms.csv' in this job"))
    }

    @Test func diffNamesAddedRemovedChangedAndMovedContacts() throws {
        let folder = TempFolder()
        let store = folder.file("job.sqlite")
        func run(_ rows: [String]) throws {
            let csv = folder.write(
                "sms.csv", (["phone,name,country,consent,consent_date,language"] + rows).joined(separator: "\n") + "\n")
            let result = try Binary.run(
                ["run", "--store", store, "--default-region", "DE", "--verifier", "none", "--mapping", "generic", csv])
            #expect(result.status == 0, "\(result.stderr)")
        }
        try run([
            "+4915120000001,Anna Alt,DE,yes,2025-01-01,de",
            "+4915120000002,Bernd Berg,DE,yes,2025-01-01,de",
            "+4915120000003,Carla Cruz,DE,yes,2025-01-01,de",
        ])
        try run([
            "+4915120000001,Anna Alt,DE,no,2025-02-01,de",  // opted out: moves to rejected
            "+4915120000002,Bernd Brandt,DE,yes,2025-01-01,de",  // new name
            "+4915120000004,Dora Dahl,DE,yes,2025-01-01,de",  // new contact; 3 is gone
        ])
        let result = try Binary.run(["diff", "1", "2", "--store", store, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let diff = try CampaignFixtures.json(result)
        #expect(diff["added"] as? Int == 1)
        #expect(diff["removed"] as? Int == 1)
        #expect(diff["changed"] as? Int == 2)
        let fields = try #require(diff["changed_fields"] as? [String: Int])
        #expect(fields["name"] == 1)
        #expect(fields["consent"] == 1)
        let moved = try #require(diff["moved"] as? [[String: Any]])
        #expect(moved.count == 1)
        #expect(moved.first?["from"] as? String == "reconsent" && moved.first?["to"] as? String == "rejected")
        let samples = try #require(diff["samples"] as? [String: [[String: Any]]])
        #expect(samples["added"]?.first?["contact"] as? String == "+49 1512 ••• ••04")
        #expect(samples["removed"]?.first?["contact"] as? String == "+49 1512 ••• ••03")
        let text = try Binary.run(["diff", "1", "2", "--store", store]).stdout
        #expect(text.contains("added 1, removed 1, changed 2, moved between lists 1"))
        #expect(text.contains("reconsent → rejected: 1"))
        #expect(!text.contains("Brandt") && !text.contains("4915120000004"))
        let missing = try Binary.run(["diff", "1", "7", "--store", store])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("run #7 has no contact snapshot"))

        // Every pair of runs: a run against itself shows no change at all, and A → B is B → A reversed.
        let runs = [1, 2]
        for a in runs {
            for b in runs {
                let pair = try CampaignFixtures.json(
                    try Binary.run(["diff", String(a), String(b), "--store", store, "--json"]))
                let lists = try #require(pair["lists"] as? [String: [Int]])
                if a == b {
                    #expect(pair["added"] as? Int == 0 && pair["removed"] as? Int == 0 && pair["changed"] as? Int == 0)
                    #expect((pair["moved"] as? [Any])?.isEmpty == true)
                    #expect(lists.values.allSatisfy { $0[0] == $0[1] }, "diff \(a) \(a): \(lists)")
                    let text = try Binary.run(["diff", String(a), String(a), "--store", store]).stdout
                    #expect(!text.contains("(+") || text.contains("(+0)"), "\(text)")
                    #expect(!text.contains("(-"), "\(text)")
                } else {
                    let back = try CampaignFixtures.json(
                        try Binary.run(["diff", String(b), String(a), "--store", store, "--json"]))
                    #expect(pair["added"] as? Int == back["removed"] as? Int)
                    let backLists = try #require(back["lists"] as? [String: [Int]])
                    #expect(lists.mapValues { [$0[1], $0[0]] } == backLists)
                }
            }
        }
    }
}
