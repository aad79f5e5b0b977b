import Foundation
import Testing
import WamigrateTestSupport

/// Messy exports whose right numbers are known by construction, run through the built
/// binary without `--mapping`: the Viber export is recognised, its international
/// digits and its unsubscribes are kept, and every ambiguous reading is flagged.
@Suite("End to end: normalization that never invents a number")
struct NormalizeTruthEndToEndTests {
    static let sms = """
        Mobile;Name;Country;Opt-In;Opt-In Date
        0151 23456789;Anna Adler;DE;yes;01.02.2023
        491701234567;Bernd Berg;Deutschland;yes;01.02.2023
        442071234567;Clara Cole;;yes;
        0531 332 2249;Deniz Demir;Turkey;yes;05.05.2022
        01521 1234567;Emil Ernst;Atlantis;yes;05.05.2022

        """
    static let viber = """
        viber_user_id,phone,name,subscribed_at,language,country,status
        AAAAAAAAAAAAAAAAAAAAAA==,4915123456789,Anna Adler,1717200000000,de,DE,unsubscribed
        BBBBBBBBBBBBBBBBBBBBBB==,380501234567,Olena Oliynyk,1717200000000,uk,UA,subscribed
        CCCCCCCCCCCCCCCCCCCCCC==,905313322249,Deniz Demir,1600000000000,tr,TR,subscribed

        """

    @Test func aViberExportInAutoModeKeepsItsNumbersAndItsOptOuts() throws {
        let folder = TempFolder()
        let sms = folder.write("sms.csv", Self.sms)
        let viber = folder.write("viber.csv", Self.viber)
        let store = folder.file("job.sqlite")
        let result = try Binary.run(
            ["run", "--store", store, "--out", folder.file("out"), "--default-region", "DE", sms, viber])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("profile viber: detected: the header has viber_user_id"))

        let contacts = try CSVTable(path: folder.file("out/contacts.csv"))
        let byNumber = Dictionary(contacts.rows.map { ($0["e164"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        // Every number is the one the person has: no DE prefix glued in front of a foreign or own code.
        #expect(
            Set(byNumber.keys) == [
                "+4915123456789", "+491701234567", "+442071234567", "+905313322249", "+380501234567", "+4915211234567",
            ])
        // Anna opted in by SMS in 2023 and unsubscribed on Viber in 2024: she stays opted out.
        #expect(byNumber["+4915123456789"]?["consent"] == "opted_out")
        #expect(byNumber["+4915123456789"]?["source_rows"]?.contains("viber.csv:1") == true)
        #expect(byNumber["+380501234567"]?["consent"] == "opted_in")
        let rejected = try CSVTable(path: folder.file("out/rejected.csv"))
        #expect(rejected.rows.contains { $0["e164"] == "+4915123456789" && $0["reason"] == "opted_out" })
        let reconsent = try CSVTable(path: folder.file("out/reconsent.csv"))
        #expect(!reconsent.rows.contains { $0["e164"] == "+4915123456789" })

        // The choices are counted and can be found row by row.
        let status = try Binary.run(["status", "--store", store])
        #expect(status.stdout.contains("readings to review"), "\(status.stdout)")
        #expect(status.stdout.contains("ambiguous_international 2"), "\(status.stdout)")
        #expect(status.stdout.contains("unknown_country 1"), "\(status.stdout)")
        let trace = try Binary.run(["trace", "sms.csv:2", "--store", store])
        #expect(trace.status == 0, "\(trace.stderr)")
        #expect(trace.stdout.contains("ambiguous_international"), "\(trace.stdout)")
        let rows = try ToolReadout.trace(store, "viber.csv:1")["source_rows"].array
        #expect(rows.filter { $0["origin"].string == "viber.csv:1" }.map { $0["flags"].string } == ["missing_plus"], "\(rows)")
        #expect(result.stdout.contains("'Atlantis' 1"), "\(result.stdout)")
    }

    @Test func aConsentColumnThatCannotBeReadStopsTheRunAndNamesIt() throws {
        let folder = TempFolder()
        let sms = folder.write(
            "sms.csv",
            """
            Mobile;Name;Country;Opt-In
            0151 23456789;Anna Adler;DE;yes
            0152 23456789;Bernd Berg;DE;vielleicht

            """)
        let store = folder.file("job.sqlite")
        let result = try Binary.run(["run", "--store", store, "--default-region", "DE", sms])
        #expect(result.status == 65)
        #expect(result.stderr.contains("sms.csv:3:4: E_INPUT_CONSENT"), "\(result.stderr)")
        #expect(result.stderr.contains("'Opt-In' (column 4)") && result.stderr.contains("'vielleicht' (1 rows)"))
        #expect(result.stderr.contains("consent_values"))
        let message = result.stderr.components(separatedBy: "E_INPUT_CONSENT").last ?? ""
        #expect(!message.contains("23456789") && !message.contains("Bernd"))
        let status = try ToolReadout.status(store)
        #expect(status["books"]["rows_in"].int == 0, "nothing half-extracted: \(status)")
        #expect(status["stages"][0]["ran"].bool == false, "\(status)")
    }

    @Test func aStatusColumnIsConsentOnlyWhenItsValuesAreConsentWords() throws {
        let folder = TempFolder()
        let delivery = folder.write("log.csv", "phone,status\n+4915123456789,delivered\n+4915223456789,failed\n")
        let subscribers = folder.write("subs.csv", "phone,status\n+4917623456789,subscribed\n+4915723456789,unsubscribed\n")
        let store = folder.file("job.sqlite")
        let result = try Binary.run(["run", "--store", store, "--out", folder.file("out"), delivery, subscribers])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("consent from column 'status'"))
        let consent = try CSVTable(path: folder.file("out/contacts.csv")).rows.map { [$0["e164"] ?? "", $0["consent"] ?? ""] }
            .sorted { $0[0] < $1[0] }
        #expect(
            consent == [
                ["+4915123456789", "unknown"], ["+4915223456789", "unknown"], ["+4915723456789", "opted_out"],
                ["+4917623456789", "opted_in"],
            ])
    }
}
