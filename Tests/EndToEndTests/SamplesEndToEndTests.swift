import Foundation
import Testing
import WamigrateTestSupport

/// The README's main command, on the bundled samples, through the built binary.
@Suite("End to end: samples")
struct SamplesEndToEndTests {
    let root = Binary.packageRoot

    func runSamples(_ folder: TempFolder, extra: [String] = []) throws -> Binary.Result {
        try Binary.run(
            [
                "run", "--store", folder.file("job.sqlite"), "--out", folder.file("out"), "--default-region", "DE",
                "--mapping", "generic", "--mapping", "viber",
                root + "/samples/sms_subscribers.csv", root + "/samples/viber_subscribers.csv",
            ] + extra)
    }

    @Test func runsTheWholePipelineAndBalancesTheBooks() throws {
        let folder = TempFolder()
        let result = try runSamples(folder, extra: ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let books = summary["books"] as! [String: Any]
        #expect(books["balanced"] as? Bool == true)
        let rowsIn = books["rows_in"] as! Int
        let kept = books["kept"] as! Int, merged = books["merged"] as! Int, rejected = books["rejected"] as! Int
        #expect(rowsIn == kept + merged + rejected)
        // Every data line of both samples is a row.
        let contacts = try CSVTable(path: folder.file("out/contacts.csv"))
        let rejectedRows = try CSVTable(path: folder.file("out/rejected_rows.csv"))
        let viberOnly = try CSVTable(path: folder.file("out/viber_only.csv"))
        let lineageCount = (contacts.rows + viberOnly.rows).reduce(0) {
            $0 + ($1["source_rows"] ?? "").split(separator: " ").count
        }
        #expect(lineageCount + rejectedRows.rows.count == rowsIn, "every row is in exactly one output's lineage")
        #expect(FileManager.default.fileExists(atPath: folder.file("out/summary.json")))
        // The three short rows in the SMS sample are kept and counted as ragged.
        let sources = (summary["extract"] as! [String: Any])["sources"] as! [[String: Any]]
        #expect(sources.map { $0["ragged_rows"] as? Int } == [3, 0])
        #expect(sources.map { $0["encoding"] as? String } == ["windows-1252", "utf-8-bom"])
        for column in [
            "contact_id", "e164", "region", "number_type", "name", "email", "consent", "consent_at", "sources", "source_rows",
        ] {
            #expect(contacts.header.contains(column))
        }
    }

    @Test func rejectedRowsCarryFileLineRecordAndReason() throws {
        let folder = TempFolder()
        #expect(try runSamples(folder).status == 0)
        let rejected = try CSVTable(path: folder.file("out/rejected_rows.csv"))
        let lossy = rejected.rows(where: "reason", is: "lossy_scientific_notation")
        #expect(lossy.count == 1)
        #expect(lossy.first?["source_file"] == "sms_subscribers.csv")
        #expect(lossy.first?["line"] == "6")
        #expect(lossy.first?["record"] == "5")
        // A record after a quoted multi-line cell: physical line and record number differ.
        let invalidCode = rejected.rows(where: "reason", is: "invalid_country_code").first
        #expect(invalidCode?["line"] == "29")
        #expect(invalidCode?["record"] == "27")
    }

    @Test func mergesAcrossSourcesWithStickyOptOutAndViberLinks() throws {
        let folder = TempFolder()
        #expect(try runSamples(folder).status == 0)
        let contacts = try CSVTable(path: folder.file("out/contacts.csv"))
        // Written three ways (national, with a Windows-1252 name, with narrow no-break spaces on Viber).
        let anna = contacts.rows(where: "e164", is: "+4915123456780")
        #expect(anna.count == 1)
        #expect(anna.first?["consent"] == "opted_out", "an opt-out on Viber outlives the older SMS opt-in")
        #expect(anna.first?["sources"] == "sms_subscribers,viber_subscribers")
        #expect(anna.first?["source_rows"]?.split(separator: " ").count == 3)
        // A Viber row without a number joins the contact whose row has the same Viber id.
        let max = contacts.rows(where: "e164", is: "+491605554443").first
        #expect(max?["source_rows"] == "viber_subscribers.csv:8 viber_subscribers.csv:9")
        let viberOnly = try CSVTable(path: folder.file("out/viber_only.csv"))
        #expect(viberOnly.rows.allSatisfy { !($0["viber_id"] ?? "").isEmpty })
        #expect(
            viberOnly.rows(where: "viber_id", is: "YWxleC1ubw==").first?["source_rows"]
                == "viber_subscribers.csv:5 viber_subscribers.csv:6")
    }

    @Test func rerunsKeepContactIdsAndSkipUpToDateStages() throws {
        let folder = TempFolder()
        #expect(try runSamples(folder).status == 0)
        let first = folder.read("out/contacts.csv")
        let again = try runSamples(folder)
        #expect(again.status == 0)
        #expect(again.stdout.contains("up to date, skipped: extract, normalize, dedupe"))
        let forced = try runSamples(folder, extra: ["--force"])
        #expect(forced.status == 0)
        #expect(folder.read("out/contacts.csv") == first, "a forced re-run gives the same contacts and the same ids")
    }

    @Test func stagesRunAloneAndStatusReportsThem() throws {
        let folder = TempFolder()
        let store = folder.file("job.sqlite")
        let extract = try Binary.run(["extract", "--store", store, "--mapping", "generic", root + "/samples/sms_subscribers.csv"])
        #expect(extract.status == 0, "\(extract.stderr)")
        let early = try Binary.run(["dedupe", "--store", store])
        #expect(early.status == 66, "dedupe before normalize is refused")
        #expect(early.stderr.contains("E_STAGE_ORDER"))
        #expect(try Binary.run(["normalize", "--store", store, "--default-region", "DE"]).status == 0)
        #expect(try Binary.run(["dedupe", "--store", store, "--out", folder.file("out")]).status == 0)
        let status = try Binary.run(["status", "--store", store, "--json"])
        #expect(status.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any]
        #expect((json["books"] as! [String: Any])["balanced"] as? Bool == true)
        #expect((json["rejected_by_reason"] as! [String: Int])["lossy_scientific_notation"] == 1)
        // Re-running normalize replaces its results and clears dedupe's.
        #expect(try Binary.run(["normalize", "--store", store, "--default-region", "DE"]).status == 0)
        let text = try Binary.run(["status", "--store", store])
        #expect(text.stdout.contains("dedupe     not run"))
        #expect(text.stdout.contains("balanced"))
    }

    @Test func dryRunIsMarkedInTheStore() throws {
        let folder = TempFolder()
        let result = try runSamples(folder, extra: ["--dry-run"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("(dry run)"))
        let status = try Binary.run(["status", "--store", folder.file("job.sqlite")])
        #expect(status.stdout.contains("(dry run)"))
    }

    @Test func logsAndErrorsCarryNoPhoneNumbers() throws {
        let folder = TempFolder()
        let result = try runSamples(folder, extra: ["--verbose"])
        #expect(result.status == 0)
        #expect(!result.stderr.contains("4915123456789"))
        #expect(!result.stderr.contains("Müller"))
        #expect(result.stderr.contains("extract"), "verbose mode does log the stages")
    }
}
