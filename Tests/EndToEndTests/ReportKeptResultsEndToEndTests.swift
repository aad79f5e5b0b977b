import Foundation
import Testing
import WamigrateTestSupport

/// The run keeps the report's query results at its end; `report` reuses one only while
/// every table its query reads is unchanged. Whatever writes the store after the run (a
/// campaign, replies, a stage run alone), every figure is what its query gives now.
@Suite("End to end: the report's kept query results")
struct ReportKeptResultsEndToEndTests {
    typealias F = CampaignFixtures

    /// Every table's rows as text, and the generation the store gives it.
    func tables(_ store: String) throws -> [String: (content: [[String]], generation: Int)] {
        var tables: [String: (content: [[String]], generation: Int)] = [:]
        let generations = Dictionary(
            try Auditor.recompute("SELECT name, generation FROM table_generations", in: store).map { ($0[0], Int($0[1]) ?? 0) },
            uniquingKeysWith: { first, _ in first })
        for row in try Auditor.recompute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1", in: store) {
            let name = row[0]
            guard !["table_generations", "report_memo", "sqlite_sequence"].contains(name) else { continue }
            tables[name] = (try Auditor.recompute("SELECT * FROM \"\(name)\" ORDER BY 1", in: store), generations[name] ?? 0)
        }
        return tables
    }

    /// Every table whose rows changed between the two readings has a newer generation.
    func expectGenerationsFollow(
        _ before: [String: (content: [[String]], generation: Int)], _ after: [String: (content: [[String]], generation: Int)],
        _ step: String
    ) -> Set<String> {
        var changed: Set<String> = []
        for (name, now) in after where before[name]?.content != now.content {
            changed.insert(name)
            #expect(now.generation > (before[name]?.generation ?? 0), "\(step) changed \(name) without a new generation")
        }
        return changed
    }

    /// Writes the report and checks every figure against its query; returns (answered by kept results, asked).
    func reportRecomputes(_ store: String, _ folder: TempFolder, _ name: String) throws -> (kept: Int, asked: Int) {
        let result = try ReportFixtures.report(store, folder.file(name))
        #expect(result.status == 0, "\(result.stderr)")
        let report = try ReportFixtures.json(folder.file(name + "/report.json"))
        let sections = try #require(report["sections"] as? [[String: Any]])
        for figure in sections.flatMap({ $0["figures"] as? [[String: Any]] ?? [] }) {
            let rows = try Auditor.recompute(try #require(figure["query"] as? String), in: store)
            if let value = figure["value"] as? Int {
                #expect(rows == [[String(value)]], "\(name): \(figure["id"] ?? "?")")
            } else {
                let expected = (figure["rows"] as? [[String: Any]] ?? []).map { ["\($0["key"]!)", "\($0["value"]!)"] }
                #expect(rows == expected, "\(name): \(figure["id"] ?? "?")")
            }
        }
        let queries = try #require(report["queries"] as? [String: Int])
        let kept = try #require(queries["from_kept_results"])
        let asked = try #require(queries["asked"])
        #expect(result.stdout.contains("\(kept) of \(asked) queries answered by results the run kept"), "\(result.stdout)")
        return (kept, asked)
    }

    @Test func aKeptResultServesOnlyWhileItsTablesAreUnchanged() throws {
        let folder = TempFolder()
        let sandbox = try SandboxProcess([])
        let store = try F.job(
            folder,
            [
                "+49 1512 0000001,Anna,DE,,,de", "+49 1512 0000002,Ben,DE,,,", "+44 7911 123456,Cara,GB,,,en",
                "+49 1512 0000005,Eva,DE,no,2024-01-01,de", "12345,Bad,DE,,,de",
            ])
        // The run's second connection is closed before the writer: the writer, last to close,
        // checkpoints its WAL, so the store file alone holds the run (copies of it included).
        let wal = (try? FileManager.default.attributesOfItem(atPath: store + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0, "the WAL holds \(wal) bytes after the run")
        // Straight after the run, every query but those over what the audit step wrote
        // is answered by a kept result.
        var use = try reportRecomputes(store, folder, "after-run")
        #expect(use.kept >= 30 && use.kept < use.asked, "\(use)")

        // A campaign and its replies write the ledger, the campaign's tables and contacts.
        var before = try tables(store)
        #expect(try F.plan(store).status == 0)
        #expect(try F.send(store, sandbox).status == 0)
        let replies = [
            F.sms("SMin1", from: "+4915120000001", "ja", at: "2026-11-23T11:00:00Z"),
            F.sms("SMin2", from: "+4915120000002", "STOP", at: "2026-11-23T11:01:00Z"),
        ]
        #expect(try F.replies(folder, store, replies).status == 0)
        var changed = expectGenerationsFollow(before, try tables(store), "campaign plan, send, replies")
        #expect(changed.isSuperset(of: ["consent_events", "campaign_messages", "inbound_messages"]), "\(changed)")
        use = try reportRecomputes(store, folder, "after-replies")
        let ledger = try ReportFixtures.json(folder.file("after-replies/report.json"))
        let consent = (ledger["sections"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "consent" }
        let keys =
            ((consent?["figures"] as? [[String: Any]])?.first { $0["id"] as? String == "consent.ledger" }?["rows"]
            as? [[String: Any]] ?? []).map { "\($0["key"]!)" }
        #expect(keys.contains("campaign_reply:sms opt_out") && keys.contains("campaign_reply:sms opt_in"), "\(keys)")

        // Import run alone rebuilds the lists from the ledger: the list figures run again.
        before = try tables(store)
        #expect(try Binary.run(["import", "--store", store, "--out", folder.file("out")]).status == 0)
        changed = expectGenerationsFollow(before, try tables(store), "import")
        #expect(changed.contains("import_lists"), "\(changed)")
        _ = try reportRecomputes(store, folder, "after-import")

        // A new run keeps results again.
        before = try tables(store)
        #expect(
            try Binary.run([
                "run", "--store", store, "--default-region", "DE", "--verifier", "none", "--force", "--mapping",
                "generic", folder.file("sms.csv"),
            ]).status == 0)
        _ = expectGenerationsFollow(before, try tables(store), "run --force")
        use = try reportRecomputes(store, folder, "after-rerun")
        #expect(use.kept >= 30, "\(use)")
        // --fresh uses none of them, and gives the same figures.
        let fresh = try ReportFixtures.report(store, folder.file("fresh"), ["--fresh"])
        #expect(fresh.stdout.contains("0 of \(use.asked) queries answered by results the run kept"), "\(fresh.stdout)")
        let figures = { (name: String) throws -> String in
            let report = try ReportFixtures.json(folder.file(name + "/report.json"))
            let data = try JSONSerialization.data(withJSONObject: report["sections"] ?? [], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        #expect(try figures("fresh") == figures("after-rerun"))
        _ = sandbox.stop()
    }
}
