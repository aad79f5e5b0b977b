import Foundation
import Testing
import WamigrateTestSupport

private typealias F = ReportFixtures

/// The auditor's report on the samples, checked against the store, a snapshot
/// and a real headless browser.
@Suite("End to end: report")
struct ReportEndToEndTests {
    @Test func everyFigureIsRecomputedFromTheStoreByItsQuery() throws {
        let folder = TempFolder()
        let sandbox = try SandboxProcess(["--registered-rate", "0.7"])
        #expect(try F.runSamples(folder, sandbox).status == 0)
        let store = folder.file("job.sqlite")
        var result = try Binary.run(
            ["scenarios", "convert", F.root + "/samples/scenarios", "--out", folder.file("scenarios"), "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        result = try F.report(store, folder.file("report"))
        #expect(result.status == 0, "\(result.stderr)")
        let report = try F.json(folder.file("report/report.json"))
        let sections = try #require(report["sections"] as? [[String: Any]])
        var checked = 0
        for figure in sections.flatMap({ $0["figures"] as? [[String: Any]] ?? [] }) {
            let query = try #require(figure["query"] as? String)
            let rows = try Auditor.recompute(query, in: store)
            if let value = figure["value"] as? Int {
                #expect(rows == [[String(value)]], "\(figure["id"] ?? "?")")
            } else {
                let expected = (figure["rows"] as? [[String: Any]] ?? []).map { ["\($0["key"]!)", "\($0["value"]!)"] }
                #expect(rows == expected, "\(figure["id"] ?? "?")")
            }
            checked += 1
        }
        #expect(checked >= 30)
        #expect(
            sections.map { $0["id"] as? String } == [
                "job", "funnel", "rejections", "numbering", "countries", "merges", "verification", "consent", "scenarios",
                "cost",
            ])
        // The report is of the job: every stage's latest run and the command behind it.
        let job = try #require(sections.first { $0["id"] as? String == "job" })
        let notes = job["notes"] as? [String] ?? []
        for stage in ["extract", "normalize", "dedupe", "verify", "import"] {
            #expect(notes.contains { $0.hasPrefix("\(stage): run #1: wamigrate run ") }, "\(stage): \(notes)")
        }
        // The books queries give the books, and the books balance.
        let books = try #require(report["books"] as? [String: Any])
        for (name, query) in try #require(report["books_queries"] as? [String: String]) {
            let key = ["rows_in": "rows_in", "kept": "kept", "merged": "merged", "rejected": "rejected", "review": "review"][
                name]!
            #expect(try Auditor.recomputeCount(query, in: store) == books[key] as? Int)
        }
        #expect(books["balanced"] as? Bool == true)
        // Figures agree with what the run wrote, counted independently of SQL.
        let figures = Dictionary(
            uniqueKeysWithValues: sections.flatMap { $0["figures"] as? [[String: Any]] ?? [] }.map {
                ($0["id"] as! String, $0)
            })
        for list in ["whatsapp_ready", "reconsent", "unreachable", "rejected"] {
            let csv = try CSVTable(path: folder.file("out/\(list).csv"))
            #expect(figures["funnel.list.\(list)"]?["value"] as? Int == csv.rows.count, "\(list)")
        }
        // Every input row is named once in the lineage of the contact files or in rejected_rows.csv.
        let lineage = try ["contacts", "viber_only"].reduce(0) { total, name in
            total
                + (try CSVTable(path: folder.file("out/\(name).csv")).rows.reduce(0) {
                    $0 + ($1["source_rows"] ?? "").split(separator: " ").count
                })
        }
        let rejectedRows = try CSVTable(path: folder.file("out/rejected_rows.csv")).rows.count
        #expect(figures["funnel.rows_in"]?["value"] as? Int == lineage + rejectedRows)
        #expect(figures["funnel.rejected"]?["value"] as? Int == rejectedRows)
        // The cost is contacts × the rate the price table states, and the tier waves divide the ready list.
        let cost = try #require(report["cost"] as? [String: Any])
        let prices = try String(contentsOfFile: F.root + "/mappings/whatsapp/prices.yml", encoding: .utf8)
        #expect(cost["as_of"] as? String == "2026-01-01")
        let lines = try #require(cost["lines"] as? [[String: Any]])
        let germany = try #require(lines.first { $0["market"] as? String == "DE" })
        let rate = try #require((germany["rates"] as? [String: Double])?["marketing"])
        #expect(prices.contains("DE: {marketing: \(rate),"))
        let contacts = try #require(germany["contacts"] as? Int)
        #expect(abs(((germany["costs"] as? [String: Double])?["marketing"] ?? 0) - rate * Double(contacts)) < 0.0001)
        let ready = lines.reduce(0) { $0 + ($1["contacts"] as? Int ?? 0) }
        #expect(ready == figures["funnel.list.whatsapp_ready"]?["value"] as? Int)
        for wave in try #require(report["tier_waves"] as? [[String: Int]]) {
            #expect(wave["days"] == (ready + wave["tier"]! - 1) / wave["tier"]!)
        }
        // The manifest names each input with its size and SHA-256, and the builds.
        let manifest = try #require(report["manifest"] as? [String: Any])
        let inputs = try #require(manifest["inputs"] as? [[String: Any]])
        for (input, path) in zip(inputs, F.samples) {
            #expect(input["sha256"] as? String == (try sha256(path)))
            #expect(input["size"] as? Int == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
        }
        let tool = try #require(manifest["tool"] as? [String: String])
        #expect(tool["git_revision"]?.prefix(40).allSatisfy(\.isHexDigit) == true, "\(tool)")
        let phone = try #require(manifest["phonenumber"] as? [String: String])
        #expect(phone["package"]?.hasPrefix("libphonenumber") == true)
        #expect(phone["library"]?.hasPrefix("libphonenumber.so") == true)
        #expect((manifest["stages"] as? [[String: Any]])?.count == 5)
        #expect(manifest["dry_run"] as? Bool == false)
        try matchesSnapshot(report)

        // One pointer format: every sample's origin, pasted as printed, opens that row in trace.
        let text = String(decoding: try JSONSerialization.data(withJSONObject: report), as: UTF8.self)
        let pattern = try NSRegularExpression(pattern: #"[A-Za-z_]+\.csv:[0-9]+ \(line [0-9]+\)"#)
        let pointers = Set(
            pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                Range($0.range, in: text).map { String(text[$0]) }
            })
        #expect(pointers.count >= 5, "the report's samples cite rows as file:record (line N)")
        for pointer in pointers.sorted().prefix(8) {
            let traced = try Binary.run(["trace", pointer, "--store", store])
            #expect(traced.status == 0, "\(pointer): \(traced.stderr)")
            #expect(traced.stdout.contains("row \(pointer)"), "\(pointer) opens that row: \(traced.stdout)")
        }
        _ = sandbox.stop()
    }

    /// report.json on the samples, minus what changes from run to run (times,
    /// paths, builds), against the committed snapshot. UPDATE_SNAPSHOTS=1 rewrites it.
    func matchesSnapshot(_ report: [String: Any]) throws {
        var stable = report
        for key in ["generated_at", "store", "run"] { stable.removeValue(forKey: key) }
        // The job section names times, temporary paths and the sandbox's port (checked above instead).
        stable["sections"] = (report["sections"] as? [[String: Any]] ?? []).filter { $0["id"] as? String != "job" }
        if var cost = stable["cost"] as? [String: Any] {
            cost.removeValue(forKey: "prices_file")
            stable["cost"] = cost
        }
        if let manifest = report["manifest"] as? [String: Any] {
            stable["manifest"] = [
                "inputs": (manifest["inputs"] as? [[String: Any]] ?? []).map { $0.filter { $0.key != "path" } },
                "configuration": manifest["configuration"] ?? [:], "profiles": manifest["profiles"] ?? [:],
            ]
        }
        var configuration = (stable["manifest"] as? [String: Any])?["configuration"] as? [String: Any] ?? [:]
        configuration.removeValue(forKey: "sources")  // absolute paths
        var verify = configuration["verify"] as? [String: Any] ?? [:]
        verify.removeValue(forKey: "endpoint")  // the sandbox's free port
        configuration["verify"] = verify
        var manifest = stable["manifest"] as! [String: Any]
        manifest["configuration"] = configuration
        stable["manifest"] = manifest
        let data = try JSONSerialization.data(withJSONObject: stable, options: [.prettyPrinted, .sortedKeys])
        let text = String(decoding: data, as: UTF8.self) + "\n"
        let path = F.root + "/Tests/EndToEndTests/Snapshots/report-samples.json"
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == expected, "report.json differs from \(path); run with UPDATE_SNAPSHOTS=1 and review the git diff")
    }

    func sha256(_ path: String) throws -> String? {
        try run("/usr/bin/sha256sum", [path]).split(separator: " ").first.map(String.init)
    }

    @Test func theHTMLIsSelfContainedAndRendersInAHeadlessBrowser() throws {
        let folder = TempFolder()
        let sandbox = try SandboxProcess(["--registered-rate", "0.7"])
        #expect(try F.runSamples(folder, sandbox).status == 0)
        #expect(try F.report(folder.file("job.sqlite"), folder.file("report")).status == 0)
        let html = folder.read("report/report.html")
        // Nothing to fetch: no scripts, stylesheets, images, fonts or frames from anywhere.
        for needle in ["<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "@font-face"] {
            #expect(!html.contains(needle), "report.html contains \(needle)")
        }
        #expect(html.components(separatedBy: "<svg").count - 1 >= 8, "charts, not only tables")
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        let browser = try #require(chromium, "chromium is needed: scripts/install-deps.sh --test installs it")
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + folder.file("chromium")]
        let page = "file://" + folder.file("report/report.html")
        let dom = try run(browser, common + ["--dump-dom", page])
        #expect(dom.contains("<h1>wamigrate report: the job as of run #1</h1>"))
        // Charts are not repeated as tables: a breakdown's rows are in its chart, the table keeps the query.
        #expect(dom.contains("chart above:"))
        #expect(!dom.contains("<br>"), "no breakdown pasted into a table cell")
        #expect(dom.contains("whatsapp_ready contacts") && dom.contains("are in markets without a rate"))
        #expect(dom.components(separatedBy: "<rect").count > 20)
        _ = try run(browser, common + ["--screenshot=" + folder.file("report.png"), "--window-size=1000,2000", page])
        let png = try Data(contentsOf: URL(fileURLWithPath: folder.file("report.png")))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 30_000, "a rendered page, not a blank one: \(png.count) bytes")
        _ = sandbox.stop()
    }

    func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aDryRunSendsNothingAndIsMarkedAsOne() throws {
        let folder = TempFolder()
        let sandbox = try SandboxProcess(["--registered-rate", "0.7"])
        var result = try F.runSamples(folder, sandbox, extra: ["--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sandbox.stat("contactsAnswered") == 0, "a dry run checks no contacts")
        let store = folder.file("job.sqlite")
        result = try F.report(store, folder.file("dry"))
        #expect(result.stdout.contains("report of the job as of run #1 (dry run)"))
        let report = try F.json(folder.file("dry/report.json"))
        #expect((report["run"] as? [String: Any])?["dry_run"] as? Bool == true)
        #expect(folder.read("dry/report.html").contains("DRY RUN: nothing was sent"))
        #expect(folder.read("dry/report.md").contains("**DRY RUN: nothing was sent.**"))
        // Lists from a dry run are not a campaign's audience.
        result = try CampaignFixtures.plan(store)
        #expect(result.status == 66)
        #expect(result.stderr.contains("the lists in the store come from a dry run"))
        // The real run afterwards checks the numbers and is reported as real.
        #expect(try F.runSamples(folder, sandbox).status == 0)
        #expect(try sandbox.stat("contactsAnswered") > 0)
        #expect(try F.report(store, folder.file("real")).status == 0)
        let real = try F.json(folder.file("real/report.json"))
        #expect((real["run"] as? [String: Any])?["dry_run"] as? Bool == false)
        #expect(!folder.read("real/report.html").contains("DRY RUN"))
        _ = sandbox.stop()
    }

    @Test func aStoreWhoseBooksDoNotBalanceIsNotReported() throws {
        let folder = TempFolder()
        let store = try CampaignFixtures.job(
            folder, ["+4915120000001,A,DE,yes,2025-01-01,de", "+4915120000002,B,DE,yes,2025-01-01,de"])
        try StoreProbe.tamper(store, "DELETE FROM contact_rows WHERE rowid = (SELECT MIN(rowid) FROM contact_rows)")
        let result = try F.report(store, folder.file("report"))
        #expect(result.status == 3)
        #expect(result.stderr.contains("E_BOOKS_UNBALANCED"))
        #expect(result.stderr.contains("stage dedupe lost rows"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("report/report.html")))
    }

    @Test func campaignStateIsReportedAndEveryCampaignFigureRecomputes() throws {
        let folder = TempFolder()
        let store = try CampaignFixtures.job(
            folder, ["+4915120000001,A,DE,,,de", "+4915120000002,B,DE,,,de", "+4915120000003,C,DE,no,2025-01-01,de"])
        #expect(try CampaignFixtures.plan(store).status == 0)
        #expect(try F.report(store, folder.file("report")).status == 0)
        let report = try F.json(folder.file("report/report.json"))
        let sections = try #require(report["sections"] as? [[String: Any]])
        let campaign = try #require(sections.first { $0["id"] as? String == "campaigns" })
        let figures = try #require(campaign["figures"] as? [[String: Any]])
        let messages = try #require(figures.first { $0["id"] as? String == "campaigns.messages" })
        let rows = (messages["rows"] as? [[String: Any]] ?? []).map { "\($0["key"]!)=\($0["value"]!)" }
        #expect(rows == ["wa_move sms planned=2"], "the opted-out contact is not in the reconsent audience")
        for figure in figures {
            #expect(
                try Auditor.recompute(figure["query"] as! String, in: store)
                    == (figure["rows"] as? [[String: Any]] ?? []).map { ["\($0["key"]!)", "\($0["value"]!)"] })
        }
        #expect(folder.read("report/report.html").contains("Re-consent campaigns"))
        #expect(folder.read("report/report.md").contains("| · wa_move sms planned | | 2 |"))
    }

    @Test func reportErrorsNameTheProblemAndTheFix() throws {
        let folder = TempFolder()
        var result = try F.report(folder.file("missing.sqlite"), folder.file("r"))
        #expect(result.status == 74)
        #expect(result.stderr.contains("missing.sqlite: E_STORE: job store not found"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("missing.sqlite")), "a report never creates a store")
        let store = try CampaignFixtures.job(folder, ["+4915120000001,A,DE,yes,2025-01-01,de"])
        let prices = folder.write("prices.yml", "as_of: 2026-01-01\ncurrency: USD\nmarkets:\n  DE: {marketing: x}\n")
        result = try F.report(store, folder.file("r"), ["--prices", prices])
        #expect(result.status == 65)
        #expect(result.stderr.contains("prices.yml:"))
        #expect(result.stderr.contains("E_CONFIG: WhatsApp price table does not parse"))
        let empty = folder.file("empty.sqlite")
        #expect(try Binary.run(["status", "--store", store]).status == 0)
        try FileManager.default.copyItem(atPath: store, toPath: empty)
        try StoreProbe.tamper(empty, "DELETE FROM run_manifests")
        result = try F.report(empty, folder.file("r"))
        #expect(result.status == 66)
        #expect(result.stderr.contains("the store has no finished run to report on"))
    }
}
