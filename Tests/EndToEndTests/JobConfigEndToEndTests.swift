import Foundation
import Testing
import WamigrateStore
import WamigrateTestSupport

@testable import WamigrateCore

/// The job config file, per-source regions, a provider profile, and the books check.
@Suite("End to end: config, profiles, books")
struct JobConfigEndToEndTests {
    @Test func aBrokenConfigOrProfileNamesTheLineAndColumn() throws {
        let folder = TempFolder()
        let config = folder.write("job.yml", "default_region: DE\nsources: [\n  - path: a.csv\n")
        var result = try Binary.run(["run", "--store", folder.file("job.sqlite"), "--config", config])
        #expect(result.status == 65)
        #expect(result.stderr.contains("job.yml:3:"), "\(result.stderr)")
        let profile = folder.write("p.yml", "name: p\nchannel: sms\ncolumns: {phone: [Mobile\n")
        result = try Binary.run([
            "run", "--store", folder.file("job.sqlite"), "--mapping", profile, folder.write("a.csv", "Mobile\n+4915123456789\n"),
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains("p.yml:4:"), "\(result.stderr)")
        #expect(result.stderr.contains("E_MAPPING"))
    }

    @Test func configFileDrivesSourcesMappingsAndRegions() throws {
        let folder = TempFolder()
        // No country column: the region comes from the source, then from the job.
        folder.write("exports/at.csv", "phone,name\n0664 1234567,Elias\n")
        folder.write("exports/de.csv", "phone,name,country\n0151 23456789,Anna,\n0664 1234567,Eva,AT\n")
        folder.write(
            "job.yml",
            """
            default_region: DE
            sources:
              - path: exports/at.csv
                mapping: generic
                name: austria
                default_region: AT
              - path: exports/de.csv
            """)
        let result = try Binary.run([
            "run", "--store", folder.file("job.sqlite"), "--out", folder.file("out"), "--config", folder.file("job.yml"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let contacts = try CSVTable(path: folder.file("out/contacts.csv"))
        #expect(contacts.rows.map { $0["e164"]! }.sorted() == ["+436641234567", "+4915123456789"])
        // Source default (AT) for austria's row; row country (AT) beats the job default for Eva: one contact.
        let austrian = contacts.rows(where: "e164", is: "+436641234567").first
        #expect(austrian?["sources"] == "austria,de")
        #expect(austrian?["source_rows"] == "at.csv:1 de.csv:2")
    }

    @Test func twilioLogsTakeTheCustomerFromTheDirection() throws {
        let folder = TempFolder()
        let result = try Binary.run([
            "run", "--store", folder.file("job.sqlite"), "--out", folder.file("out"), "--mapping", "twilio",
            Binary.packageRoot + "/samples/twilio_messages.csv",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let contacts = try CSVTable(path: folder.file("out/contacts.csv"))
        // The inbound STOP row's customer is From, the same person as the first outbound To.
        #expect(
            contacts.rows(where: "e164", is: "+4915123456789").first?["source_rows"]
                == "twilio_messages.csv:1 twilio_messages.csv:2")
        // The business's own sender number is never taken for a customer.
        #expect(contacts.rows(where: "e164", is: "+4915799990000").isEmpty)
        #expect(contacts.rows.count == 3)
    }

    @Test func unbalancedBooksFailStatusAndRun() throws {
        let folder = TempFolder()
        let store = folder.file("job.sqlite")
        let args = [
            "run", "--store", store, "--out", folder.file("out"), "--default-region", "DE",
            Binary.packageRoot + "/samples/sms_subscribers.csv",
        ]
        #expect(try Binary.run(args).status == 0)
        // Lose one merged row behind the pipeline's back.
        try StoreProbe.tamper(store, "DELETE FROM contact_rows WHERE rowid = (SELECT MAX(rowid) FROM contact_rows)")
        let status = try Binary.run(["status", "--store", store])
        #expect(status.status == 3)
        #expect(status.stdout.contains("NOT BALANCED (1 rows unaccounted; stage: dedupe)"))
        let run = try Binary.run(args)
        #expect(run.status == 3)
        #expect(run.stderr.contains("E_BOOKS_UNBALANCED"))
        // Re-running the stage that lost the row repairs the job.
        #expect(try Binary.run(["dedupe", "--store", store]).status == 0)
        #expect(try Binary.run(["status", "--store", store]).status == 0)
    }
}
