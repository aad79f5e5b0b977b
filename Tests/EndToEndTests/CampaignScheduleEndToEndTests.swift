import Foundation
import Testing
import WamigrateTestSupport

/// The schedule on an injected clock, the dry run, retries and bad input.
@Suite("End to end: campaign schedule and input", .serialized)
struct CampaignScheduleEndToEndTests {
    typealias F = CampaignFixtures

    /// Local hour and weekday (1 = Sunday) of a Unix time in a zone.
    func local(_ time: Int, _ zone: String) -> (minutes: Int, weekday: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let parts = calendar.dateComponents([.hour, .minute, .weekday], from: Date(timeIntervalSince1970: Double(time)))
        return (parts.hour! * 60 + parts.minute!, parts.weekday!)
    }

    /// Inside 09:00-20:00, not on Sunday, in every zone listed (`a|b`).
    func allowed(_ time: Int, _ zones: String) -> Bool {
        zones.split(separator: "|").allSatisfy { zone in
            let (minutes, weekday) = local(time, String(zone))
            return weekday != 1 && minutes >= 9 * 60 && minutes < 20 * 60
        }
    }

    @Test func slotsKeepToLocalHoursQuietDaysAndThrottleAndSendWaitsForThem() throws {
        let folder = TempFolder()
        let rows = (1...6).map { "+49 1512 000003\($0),D\($0),DE,,," } + (1...3).map { "+1 415 555 267\($0),U\($0),US,,,en" }
        let store = try F.job(folder, rows)
        // Saturday 2026-11-21 00:00 UTC; Sunday is quiet; 2 a second, 4 a day.
        var result = try Binary.run(
            ["campaign", "plan", "--store", store, "--name", "wa_move", "--message"] + F.messages + [
                "--start", "2026-11-21T00:00:00Z", "--hours", "09:00-20:00", "--quiet-days", "sun", "--sms-per-second", "2",
                "--sms-per-day", "4", "--fallback-zone", "Europe/Berlin", "--json",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try F.json(result)["planned"] as? Int == 9)
        let slots = try JobReader(store).store.campaignMessages("wa_move", state: .planned).map {
            (Int($0.sendAt), $0.zones.joined(separator: "|"))
        }
        #expect(slots.count == 9)
        for (time, zone) in slots {
            #expect(allowed(time, zone), "slot \(time) in \(zone) is outside sending hours")
        }
        // San Francisco's area code places the US numbers; Germany's zones come from zone.tab.
        #expect(slots.filter { $0.1 == "America/Los_Angeles" }.count == 3)
        #expect(slots.filter { $0.1.hasPrefix("Europe/Berlin") }.count == 6)
        #expect(Dictionary(grouping: slots, by: { $0.0 }).values.allSatisfy { $0.count <= 2 })
        #expect(Dictionary(grouping: slots, by: { $0.0 / 86_400 }).values.allSatisfy { $0.count <= 4 })

        let sandbox = try SandboxProcess()
        let start = 1_795_219_200  // 2026-11-21T00:00:00Z
        // One second before the start: nothing is due.
        result = try F.send(store, sandbox, now: "2026-11-20T23:59:59Z")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sandbox.messages().isEmpty)
        #expect(result.stdout.contains("not yet due: 9"))
        // Saturday 23:30 UTC: Sunday in Berlin (quiet), Saturday afternoon in Los Angeles.
        let now = start + 23 * 3600 + 1800
        let due = slots.filter { $0.0 <= now }
        let open = due.filter { allowed(now, $0.1) }
        result = try F.send(store, sandbox, now: "2026-11-21T23:30:00Z")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sandbox.messages().count == open.count)
        if due.count > open.count {
            #expect(result.stdout.contains("due but waiting: quiet hours \(due.count - open.count)"))
        }
        // Wednesday noon UTC: the other 6 are due and Berlin is open, but 4 a day is the limit.
        result = try F.send(store, sandbox, now: "2026-11-25T12:00:00Z")
        #expect(result.stdout.contains("sent 4;"), "\(result.stdout)")
        #expect(result.stdout.contains("due but waiting: daily limit 2"))
        result = try F.send(store, sandbox, now: "2026-11-26T12:00:00Z")
        #expect(result.stdout.contains("sent 2;"), "\(result.stdout)")
        #expect(try sandbox.messages().count == 9)
        #expect(Set(try sandbox.messages().compactMap { $0["to"] as? String }).count == 9)
        _ = sandbox.stop()
    }

    @Test func aDryRunCountsAndPricesButStoresNothing() throws {
        let folder = TempFolder()
        let store = try F.job(folder, (1...3).map { "+49 1512 000004\($0),D,DE,,,en" })
        let message = folder.write(
            "en.yml",
            "language: en\nversion: t1\nbusiness: Shop\npurpose: news\nsms: \"{business}: YES for {purpose}. STOP to end\"\n")
        let prices = folder.write("prices.yml", "currency: EUR\nsms: {default: 1.0, DE: 0.25}\nviber: {default: 0.1}\n")
        let result = try Binary.run([
            "campaign", "plan", "--store", store, "--name", "dry", "--message", message, "--prices", prices,
            "--start", "2026-11-23T06:00:00Z", "--fallback-zone", "Europe/Berlin", "--dry-run",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("planned 3"))
        #expect(result.stdout.contains("by country: DE 3"))
        #expect(result.stdout.contains("by day (UTC): 2026-11-23 3"))
        #expect(result.stdout.contains("estimated cost: 0.75 EUR (sms 0.75)"))
        let status = try Binary.run(["campaign", "status", "--store", store, "--name", "dry"])
        #expect(status.stderr.contains("there is no planned campaign named 'dry'"), "\(status.stdout)")
    }

    @Test func busyGatewaysAreRetriedAndEveryMessageGoesOnce() throws {
        let folder = TempFolder()
        let store = try F.job(folder, (1...8).map { "+49 1512 000005\($0),D,DE,,," })
        #expect(try F.plan(store).status == 0)
        let sandbox = try SandboxProcess(["--sms-busy-rate", "0.4"])
        let result = try F.send(store, sandbox)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sent 8"))
        #expect(result.stdout.contains("retries:"))
        let to = try sandbox.messages().compactMap { $0["to"] as? String }
        #expect(to.count == 8 && Set(to).count == 8)
        _ = sandbox.stop()
    }

    @Test func badMessageFilesAndReplyFilesNameTheLineAndStoreNothing() throws {
        let folder = TempFolder()
        let store = try F.job(folder, ["+49 1512 0000061,D,DE,,,"])
        let bad = folder.write(
            "bad.yml",
            "language: en\nversion: t1\nbusiness: Shop\npurpose: news\nsms: \"Hello! Reply YES for news. STOP to end\"\n")
        var result = try Binary.run([
            "campaign", "plan", "--store", store, "--name", "x", "--message", bad, "--fallback-zone", "Europe/Berlin",
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains("bad.yml:5:1: E_CONFIG: the sms text does not name the business"))
        let noOptOut = folder.write(
            "quiet.yml", "language: en\nversion: t1\nbusiness: Shop\npurpose: news\nsms: \"{business}: YES for {purpose}\"\n")
        result = try Binary.run([
            "campaign", "plan", "--store", store, "--name", "x", "--message", noOptOut, "--fallback-zone", "Europe/Berlin",
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains("does not say how to opt out"))
        let broken = folder.write("broken.yml", "language: en\nversion: t1\nbusiness: [Shop\n")
        result = try Binary.run([
            "campaign", "plan", "--store", store, "--name", "x", "--message", broken, "--fallback-zone", "Europe/Berlin",
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains("broken.yml:4:"), "\(result.stderr)")
        let missing = folder.write("missing.yml", "language: en\nversion: t1\nbusiness: Shop\nsms: \"{business}\"\n")
        result = try Binary.run([
            "campaign", "plan", "--store", store, "--name", "x", "--message", missing, "--fallback-zone", "Europe/Berlin",
        ])
        #expect(result.status == 65)
        #expect(result.stderr.contains("missing.yml: E_CONFIG: message file does not parse: missing key 'purpose'"))

        result = try F.replies(
            folder, store, [F.sms("ok1", from: "+4915120000061", "STOP", at: "2026-11-23T10:00:00Z"), "{\"event\": "])
        #expect(result.status == 65)
        #expect(result.stderr.contains("replies.jsonl:2:1: E_INPUT_JSON"))
        let person = try ToolReadout.trace(store, "+4915120000061")
        #expect(person["replies"].array.isEmpty && person["ledger"].array.isEmpty, "a bad file stores nothing: \(person)")
        // The ledger refuses to be rewritten.
        #expect(
            try F.replies(folder, store, [F.sms("ok1", from: "+4915120000061", "STOP", at: "2026-11-23T10:00:00Z")]).status == 0)
        #expect(throws: (any Error).self) {
            try StoreProbe.tamper(store, "UPDATE consent_events SET event = 'opt_in'")
        }
        #expect(throws: (any Error).self) { try StoreProbe.tamper(store, "DELETE FROM consent_events") }
        #expect(try JobReader(store).store.consentEvents().filter { $0.kind == .optOut }.count == 1)
    }
}
