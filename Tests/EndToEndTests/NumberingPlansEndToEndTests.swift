import Foundation
import Testing
import WamigrateTestSupport

/// Numbers as they are today, through the built binary: ranges opened since 2022, legacy
/// forms, national writing, the writer's precision for scientific notation, and a row whose
/// evidence conflicts going to review (its own list, both candidates, `trace`) instead of
/// being guessed. Every expected number is country code + national number, by hand.
@Suite("End to end: numbering plans of today")
struct NumberingPlansEndToEndTests {
    static let sms = """
        phone,name,country,consent
        0500 123 45 67,Ayşe,TR,yes
        8 (495) 077-30-34,Boris,RU,yes
        044 55 1234 5678,Carla,MX,yes
        4.91635020723E+12,Dieter,DE,no
        4.915112345678E+12,Erika,DE,yes
        +49 6281 234567890,Made,DE,yes

        """
    static let viber = """
        viber_user_id,phone,name,country,status
        AAAAAAAAAAAAAAAAAAAAAA==,6281234567890,Made,DE,unsubscribed
        BBBBBBBBBBBBBBBBBBBBBB==,３６１.１３３０.２８２,Giulia,IT,subscribed

        """

    @Test func numbersFromTodaysPlansLegacyFormsAndAReviewRow() throws {
        let folder = TempFolder()
        let sms = folder.write("sms.csv", Self.sms)
        let viber = folder.write("viber.csv", Self.viber)
        let store = folder.file("job.sqlite")
        let result = try Binary.run(
            [
                "run", "--store", store, "--out", folder.file("out"), "--default-region", "DE", "--mapping", "generic", sms,
                "--mapping", "viber", viber, "--json",
            ])
        #expect(result.status == 0, "\(result.stderr)")

        let contacts = try CSVTable(path: folder.file("out/contacts.csv"))
        let numbers = Set(contacts.rows.compactMap { $0["e164"] })
        for e164 in ["+905001234567", "+74950773034", "+525512345678", "+4916350207230", "+4915112345678", "+393611330282"] {
            #expect(numbers.contains(e164), "\(e164) in \(numbers.sorted())")
        }
        #expect(!numbers.contains("+6281234567890"), "no guess: \(numbers)")
        // The opt-out written in exact scientific notation with a dropped zero binds its person.
        let dieter = try #require(contacts.rows.first { $0["e164"] == "+4916350207230" })
        #expect(dieter["consent"] == "opted_out")

        // The conflicting row: its own list, both candidates, the reason, never messaged.
        let review = try CSVTable(path: folder.file("out/review.csv"))
        #expect(review.rows.count == 1)
        // (The CSV writer quotes a cell that is no plain number with ' against formula injection.)
        #expect(review.rows.first?["e164"]?.hasSuffix("+496281234567890 | +6281234567890") == true)
        #expect(review.rows.first?["reason"] == "country_conflict")
        for list in ["whatsapp_ready", "reconsent", "unreachable"] {
            let rows = try CSVTable(path: folder.file("out/\(list).csv")).rows
            #expect(!rows.contains { ($0["e164"] ?? "").contains("6281234567890") }, "\(list)")
        }
        // Its opt-out binds both candidates: the SMS row's opt-in for one of them does not
        // get that person messaged.
        let made = try #require(contacts.rows.first { $0["e164"] == "+496281234567890" })
        #expect(made["consent"] == "opted_out")
        let rejected = try CSVTable(path: folder.file("out/rejected.csv")).rows
        #expect(rejected.contains { $0["e164"] == "+496281234567890" && $0["reason"] == "opted_out" })

        // The books count it: rows in = kept + merged + rejected + review.
        let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let books = summary["books"] as! [String: Any]
        #expect(books["balanced"] as? Bool == true)
        #expect(books["review"] as? Int == 1)
        let total = ["kept", "merged", "rejected", "review"].reduce(0) { $0 + (books[$1] as? Int ?? 0) }
        #expect(total == books["rows_in"] as? Int)

        // Flags on the rows say which evidence decided.
        var flags: [Int: String] = [:]
        for record in 2...4 {
            let rows = try ToolReadout.trace(store, "sms.csv:\(record)")["source_rows"].array
            flags[record] = rows.first { $0["origin"].string == "sms.csv:\(record)" }?["flags"].string
        }
        #expect(flags[2]?.contains("national_writing") == true)
        #expect(flags[3]?.contains("legacy_mx_prefix") == true)
        #expect(flags[4]?.contains("scientific_zeros") == true)

        // trace finds the review row by either candidate and says why.
        let trace = try Binary.run(["trace", "--store", store, "--unmasked", "+6281234567890"])
        #expect(trace.status == 0, "\(trace.stderr)")
        #expect(trace.stdout.contains("review"), "\(trace.stdout)")
        #expect(trace.stdout.contains("country_conflict"), "\(trace.stdout)")

        // The report has a line per legacy rule and the review count.
        let report = try Binary.run(["report", "--store", store, "--out", folder.file("report")])
        #expect(report.status == 0, "\(report.stderr)")
        let json = try String(contentsOfFile: folder.file("report/report.json"), encoding: .utf8)
        #expect(json.contains("legacy_mx_prefix"))
        #expect(json.contains("numbering.review"))
    }

    @Test func normalizeRefusesToRunOnOldPlans() throws {
        let folder = TempFolder()
        let sms = folder.write("sms.csv", "phone,consent\n0500 123 45 67,yes\n")
        let old = try Binary.run(
            ["run", "--store", folder.file("old.sqlite"), "--default-region", "TR", sms],
            environment: ["WAMIGRATE_PHONE_METADATA": "builtin"])
        #expect(old.status == 70, "\(old.stderr)")
        #expect(old.stderr.contains("E_METADATA"), "\(old.stderr)")
        #expect(!old.stderr.contains("0500"), "no number in the error")
        let version = try Binary.run(["--version"], environment: ["WAMIGRATE_PHONE_METADATA": "builtin"])
        #expect(version.stdout.contains("NOT IN FORCE"), "\(version.stdout)")

        let current = try Binary.run(["run", "--store", folder.file("new.sqlite"), "--default-region", "TR", sms])
        #expect(current.status == 0, "\(current.stderr)")
    }
}
