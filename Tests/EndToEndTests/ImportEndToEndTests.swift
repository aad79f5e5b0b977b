import Foundation
import Testing
import WamigrateTestSupport

/// The whole pipeline on the samples against the sandbox, the delivery-report
/// verifier, wa_id reconciliation, and the four lists.
@Suite("End to end: import lists, delivery reports, wa_id merges", .serialized)
struct ImportEndToEndTests {
    func samplesRun(_ folder: TempFolder, sandbox: SandboxProcess) throws -> Binary.Result {
        try Binary.run(
            [
                "run", "--store", folder.file("job.sqlite"), "--out", folder.file("out"), "--default-region", "DE",
                "--mapping", "generic", Binary.packageRoot + "/samples/sms_subscribers.csv",
                "--mapping", "viber", Binary.packageRoot + "/samples/viber_subscribers.csv",
                "--verifier", "contacts-api", "--endpoint", sandbox.url, "--user", "admin",
                "--password-env", "WA_PASSWORD", "--new-password-env", "WA_NEW_PASSWORD",
            ], environment: VerifyFixtures.password)
    }

    @Test func samplesEndInExactlyOneListEachAndOptedOutAreNeverMessaged() throws {
        let folder = TempFolder()
        let sandbox = try SandboxProcess()
        let result = try samplesRun(folder, sandbox: sandbox)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("stages run: extract, normalize, dedupe, verify, import"))
        #expect(!result.stdout.contains("WARNING"))
        var seen: [String: String] = [:]
        var rows: [String: [[String: String]]] = [:]
        for list in ["whatsapp_ready", "reconsent", "unreachable", "rejected"] {
            let table = try CSVTable(path: folder.file("out/\(list).csv"))
            rows[list] = table.rows
            let jsonLines = folder.read("out/\(list).jsonl").split(separator: "\n")
            #expect(jsonLines.count == table.rows.count, "\(list).jsonl and .csv differ")
            for row in table.rows where !(row["contact_id"] ?? "").isEmpty {
                #expect(seen[row["contact_id"]!] == nil, "contact in two lists")
                seen[row["contact_id"]!] = list
            }
        }
        let store = folder.file("job.sqlite")
        let summary = try ToolReadout.status(store)
        let contactCount = try #require(summary["contacts"].int) + (summary["viber_only_contacts"].int ?? 0)
        #expect(seen.count == contactCount)
        for row in rows["whatsapp_ready"]! {
            #expect(row["status"] == "on_whatsapp" && row["consent"] == "opted_in" && !(row["wa_id"] ?? "").isEmpty)
        }
        for list in ["whatsapp_ready", "reconsent", "unreachable"] {
            #expect(rows[list]!.allSatisfy { $0["consent"] != "opted_out" }, "an opted-out contact in \(list)")
        }
        // Every contact, as the contact files have it (numbers and Viber-only alike).
        let contacts =
            try CSVTable(path: folder.file("out/contacts.csv")).rows + CSVTable(path: folder.file("out/viber_only.csv")).rows
        #expect(contacts.count == contactCount)
        let optedOut = contacts.filter { $0["consent"] == "opted_out" }
        #expect(optedOut.count > 0)
        #expect(rows["rejected"]!.filter { $0["reason"] == "opted_out" }.count == optedOut.count)
        // Opted-out people were not even checked: no answer, no batch.
        for contact in optedOut {
            let trace = try ToolReadout.trace(store, contact["contact_id"] ?? "")
            #expect(trace["verification"].isNull, "\(contact["contact_id"] ?? "") was checked: \(trace["verification"])")
        }
        let viberOnly = rows["reconsent"]!.filter { ($0["e164"] ?? "").isEmpty }
        #expect(!viberOnly.isEmpty && viberOnly.allSatisfy { $0["channel"] == "viber" })
        let rejectedRows = summary["rejected_by_reason"].counts.values.reduce(0, +)
        #expect(rejectedRows == summary["books"]["rejected"].int)
        #expect(rows["rejected"]!.filter { ($0["contact_id"] ?? "").isEmpty }.count == rejectedRows)
        #expect(summary["lists"].counts.values.reduce(0, +) == seen.count + rejectedRows)
        let status = try Binary.run(["status", "--store", folder.file("job.sqlite")])
        #expect(
            status.stdout.contains(
                "lists: whatsapp_ready \(rows["whatsapp_ready"]!.count), reconsent \(rows["reconsent"]!.count)"))
        #expect(sandbox.stop() == 0, "the sandbox shuts down cleanly on SIGTERM")
    }

    @Test(arguments: PostgresEndToEnd.engines)
    func contactsSharingAWaIDAreMergedWithProvenance(_ engine: String) throws {
        let folder = TempFolder()
        let database = try PostgresEndToEnd.database(engine)
        defer { withExtendedLifetime(database) {} }
        let input = folder.write(
            "in.csv",
            """
            phone,name,email,consent,consent_date
            +49 1512 3456789,Anna Schmidt,,yes,2024-01-10
            +49 1523 9876543,Anna Schmidt,anna@example.com,,
            +49 1512 1111111,Bob,,yes,2024-01-10

            """)
        let aliases = folder.write("aliases.txt", "+4915239876543 4915123456789\n")
        let store = try VerifyFixtures.prepare(folder, input: input, store: database?.address.url ?? "job.sqlite")
        let sandbox = try SandboxProcess(["--wa-id-aliases", aliases, "--registered-rate", "1"])
        let result = try Binary.run(
            VerifyFixtures.verifyArguments(store: store, sandbox: sandbox, extra: ["--json"]),
            environment: VerifyFixtures.password)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"wa_id_merges\" : 1"))
        let summary = try ToolReadout.status(store)
        #expect(summary["contacts"].int == 2 && summary["viber_only_contacts"].int == 0)
        // The merged number is no contact of its own any more: its row lives on in the survivor.
        #expect(try ToolReadout.trace(store, "+4915239876543")["contact_id"].isNull)
        // The survivor is the number that is the wa_id, and took the email from the merged row.
        let survivor = try ToolReadout.trace(store, "+4915123456789")
        let email = survivor["fields"].array.first { $0["field"].string == "email" }
        #expect(email?["value"].string == "anna@example.com" && email?["from"].string == "in.csv:2", "\(survivor)")
        #expect(survivor["source_rows"].array.map { $0["e164"].string ?? "-" } == ["+4915123456789", "+4915239876543"])
        #expect(summary["books"]["kept"].int == 2)
        // The merged contact's lineage names the file as dedupe's does, so `trace in.csv:2` finds it.
        try ToolReadout.export(store, to: folder.file("out"))
        let merged = try CSVTable(path: folder.file("out/contacts.csv")).rows.first { $0["e164"] == "+4915123456789" }
        #expect(merged?["source_rows"] == "in.csv:1 in.csv:2")
        #expect(try ToolReadout.trace(store, "in.csv:2")["contact_id"].string == survivor["contact_id"].string)
        let status = try Binary.run(["status", "--store", store])
        #expect(status.status == 0, "the books still balance after the merge")
    }

    @Test func deliveryReportsTeachRegistration() throws {
        let folder = TempFolder()
        let input = VerifyFixtures.optedIn(
            folder,
            [
                "+49 1512 3456789", "+49 1512 1111111", "+49 1512 2222222", "+49 1512 3333333", "+55 11 98765 4321",
                "+52 55 1234 5678",
            ])
        let store = try VerifyFixtures.prepare(folder, input: input)
        let reports = folder.write(
            "statuses.jsonl",
            """
            {"id":"wamid.1","status":"sent","timestamp":"1700000000","recipient_id":"4915123456789"}
            {"id":"wamid.1","status":"delivered","timestamp":"1700000005","recipient_id":"4915123456789"}
            {"id":"wamid.2","status":"failed","timestamp":"1700000001","recipient_id":"4915121111111","errors":[{"code":131026,"title":"Message undeliverable"}]}
            {"id":"wamid.2","status":"failed","timestamp":"1700000001","recipient_id":"4915121111111","errors":[{"code":131026,"title":"Message undeliverable"}]}
            {"id":"wamid.3","status":"failed","timestamp":"1700000002","recipient_id":"4915122222222","errors":[{"code":131049,"title":"healthy ecosystem"}]}
            {"entry":[{"changes":[{"value":{"statuses":[{"id":"wamid.4","status":"read","timestamp":"1700000003","recipient_id":"551187654321"}]}}]}]}
            {"id":"wamid.5","status":"delivered","timestamp":"1700000004","recipient_id":"5215512345678"}
            {"id":"wamid.6","status":"delivered","timestamp":"1700000004","recipient_id":"4400000000"}
            {"id":"wamid.7","status":"failed","timestamp":"1700000006","recipient_id":"4915123333333","errors":[{"code":131026,"title":"Message undeliverable"}]}
            {"id":"wamid.8","status":"failed","timestamp":"1700090006","recipient_id":"4915123333333","errors":[{"code":131026,"title":"Message undeliverable"}]}
            {"id":"wamid.8","status":"failed","timestamp":"1700090006","recipient_id":"4915123333333","errors":[{"code":131026,"title":"Message undeliverable"}]}

            """)
        let result = try Binary.run(
            ["verify", "--store", store, "--verifier", "delivery-report", "--reports", reports, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"unmatched\" : 1"))
        func registration(_ e164: String) throws -> ToolJSON { try ToolReadout.trace(store, e164)["verification"] }
        func status(_ e164: String) throws -> [String] {
            let answer = try registration(e164)
            guard let status = answer["status"].string else { return [] }
            return [status + " " + (answer["wa_id"].string.map { String($0.dropFirst()) } ?? "-")]
        }
        #expect(try status("+4915123456789") == ["on_whatsapp 4915123456789"])
        // One 131026 is evidence, not a verdict (it has also meant a per-user marketing block);
        // two different messages failing with it, and nothing delivered, say not on WhatsApp.
        #expect(try status("+4915121111111") == ["unknown -"], "a single 131026 is not a verdict")
        #expect(
            try registration("+4915121111111")["reason"].string?.contains("131026") == true)
        #expect(try status("+4915123333333") == ["not_on_whatsapp -"], "two messages failed with 131026")
        #expect(try status("+4915122222222") == ["unknown -"], "131049 is not a registration answer")
        #expect(
            try registration("+4915122222222")["reason"].string?.contains("131049") == true)
        #expect(try status("+5511987654321") == ["on_whatsapp 551187654321"], "Brazil's old 8-digit wa_id")
        #expect(try status("+525512345678") == ["on_whatsapp 5215512345678"], "Mexico's 521 wa_id")

        let imported = try Binary.run(["import", "--store", store, "--out", folder.file("out")])
        #expect(imported.status == 0)
        #expect(try CSVTable(path: folder.file("out/whatsapp_ready.csv")).rows.count == 3)
        #expect(try CSVTable(path: folder.file("out/unreachable.csv")).rows.count == 1)

        let bad = folder.write(
            "bad.jsonl", "{\"status\":\"delivered\",\"recipient_id\":\"4915123456789\",\"timestamp\":\"1\"}\nnot json\n")
        let failed = try Binary.run(["verify", "--store", store, "--verifier", "delivery-report", "--reports", bad])
        #expect(failed.status == 65)
        #expect(failed.stderr.contains("bad.jsonl:2:1") && failed.stderr.contains("E_INPUT_JSON"))
        // A status without its time cannot be ordered among the others: refused, not read as 1970.
        let timeless = folder.write("timeless.jsonl", "{\"status\":\"delivered\",\"recipient_id\":\"4915123456789\"}\n")
        let refused = try Binary.run(["verify", "--store", store, "--verifier", "delivery-report", "--reports", timeless])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("timeless.jsonl:1:1") && refused.stderr.contains("has no timestamp"))
    }

    @Test func importBeforeVerifyIsAStageOrderError() throws {
        let folder = TempFolder()
        let store = try VerifyFixtures.prepare(folder, input: VerifyFixtures.contacts(folder, count: 3))
        // `prepare` ran verify with no verifier; dedupe again clears it.
        #expect(try Binary.run(["dedupe", "--store", store]).status == 0)
        let result = try Binary.run(["import", "--store", store])
        #expect(result.status == 66)
        #expect(result.stderr.contains("E_STAGE_ORDER"))
    }
}
