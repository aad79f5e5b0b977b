import Foundation
import Testing
import WamigrateBase
import WamigrateStore
import WamigrateTestSupport

@testable import WamigrateCore

/// The rules behind campaigns that are cheapest to check directly: keyword
/// matching, SMS segments, consent tallies and slot scheduling.
@Suite("Campaign rules")
struct CampaignRulesTests {
    let book = try! KeywordBook.load(path: Binary.packageRoot + "/mappings/campaign/keywords.yml")

    @Test func keywordsMatchTheWholeMessageWithoutCase() {
        #expect(book.classify("stop").0 == .optOut)
        #expect(book.classify("  Stop \n").0 == .optOut)
        #expect(book.classify("STOP ALL").0 == .optOut)
        #expect(book.classify("stop  all").0 == .optOut)
        #expect(book.classify("Ja").0 == .optIn)
        #expect(book.classify("стоп").0 == .optOut)
        #expect(book.classify("ТАК").0 == .optIn)
        #expect(book.classify("arrêt").0 == .optOut)
        #expect(book.classify("help").0 == .help)
        #expect(book.classify("please stop").0 == .other)
        #expect(book.classify("yes please").0 == .other)
        #expect(book.classify("").0 == .other)
    }

    @Test func aWordWithTwoMeaningsIsRefused() {
        #expect(throws: WamigrateError.self) { try KeywordBook(optIn: ["YES"], optOut: ["yes"], help: []) }
    }

    @Test func smsSegmentsFollowGSM7AndUCS2() {
        #expect(SMSSegments.count(String(repeating: "a", count: 160)) == 1)
        #expect(SMSSegments.count(String(repeating: "a", count: 161)) == 2)
        #expect(SMSSegments.count(String(repeating: "a", count: 306)) == 2)
        #expect(SMSSegments.count(String(repeating: "a", count: 307)) == 3)
        #expect(SMSSegments.count(String(repeating: "€", count: 80)) == 1, "extension characters count twice")
        #expect(SMSSegments.count(String(repeating: "€", count: 81)) == 2)
        #expect(SMSSegments.count(String(repeating: "я", count: 70)) == 1)
        #expect(SMSSegments.count(String(repeating: "я", count: 71)) == 2)
    }

    @Test func anOptOutIsStickyUnlessALaterDatedOptInFollows() {
        var t = ConsentTally()
        t.optIns = 1
        t.lastOptIn = 100
        t.countedOptIns = 1
        t.lastCountedOptIn = 100
        #expect(t.state == .optedIn)
        t.optOuts = 1
        t.lastOptOut = 100
        #expect(t.state == .optedOut, "same second: the opt-out wins")
        t.lastOptIn = 101
        #expect(t.state == .optedIn)
        #expect(t.whatsappState == .optedOut, "the later opt-in is not one the policy counts")
        t.undatedOptOut = true
        #expect(t.state == .optedOut, "an undated opt-out is never beaten")
    }

    @Test func theSchedulerNeverOverfillsASecondOrADayAndSkipsClosedTime() {
        var scheduler = SlotScheduler(perSecond: 3, perDay: 10)
        // Open 100..<104 every day.
        let window: (Int64) -> Range<Int64>? = { time in
            let day = time / 86_400
            let open = day * 86_400 + 100
            return time < open + 4 ? open..<(open + 4) : (open + 86_400)..<(open + 86_404)
        }
        var slots: [Int64] = []
        for _ in 0..<25 { slots.append(scheduler.take(earliest: 0, window: window)!) }
        #expect(Dictionary(grouping: slots, by: { $0 }).values.allSatisfy { $0.count <= 3 })
        #expect(Dictionary(grouping: slots, by: { $0 / 86_400 }).values.map(\.count).sorted() == [5, 10, 10])
        #expect(slots.allSatisfy { window($0)!.contains($0) })
        #expect(slots == slots.sorted())
    }

    @Test func storedSettingsKeepTheirChannelWords() throws {
        let settings = CampaignSettings(name: "c", start: 0)
        let json = String(decoding: try JSONEncoder.sorted.encode(settings), as: UTF8.self)
        #expect(json.contains(#""channels":["sms","viber"]"#))
        #expect(json.contains(#""throttle":{"sms":{"perDay":100000,"perSecond":10},"viber":{"perDay":200000,"perSecond":20}}"#))
        #expect(try JSONDecoder().decode(CampaignSettings.self, from: Data(json.utf8)) == settings)
    }

    @Test func replyFileStatusesAreProviderWords() throws {
        let folder = TempFolder()
        let good = folder.write("good.jsonl", "MessageSid=SM1&MessageStatus=Delivered\nSmsSid=SM2&SmsStatus=undelivered\n")
        let kinds = try InboundFile.read(path: good).events.map(\.kind)
        #expect(kinds == [.status(.delivered), .status(.undelivered)])
        let bad = folder.write("bad.jsonl", "MessageSid=SM1&MessageStatus=delivred\n")
        #expect(throws: WamigrateError.self) { try InboundFile.read(path: bad) }
    }
}

@Suite("Built-in keywords")
struct BuiltInKeywordTests {
    @Test("the built-in book is what the checking initializer makes of the same words")
    func builtInPassesTheConflictCheck() throws {
        let checked = try KeywordBook(
            optIn: ["YES", "START", "UNSTOP"],
            optOut: ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"], help: ["HELP", "INFO"])
        #expect(KeywordBook.builtIn.words == checked.words)
        #expect(KeywordBook.builtIn.words.count == 13)
    }
}
