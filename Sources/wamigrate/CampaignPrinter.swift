import Foundation
import MessagingAPI
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// Campaign summaries as text on stdout (`--json` prints the structs instead).
enum CampaignPrinter {
    static func counts(_ map: [String: Int]) -> String {
        map.isEmpty ? "none" : map.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    static func plan(_ s: PlanSummary) {
        print("campaign \(s.campaign)\(s.dryRun ? " (dry run: nothing stored)" : "")")
        print("audience (reconsent list): \(s.audience); planned \(s.planned); not planned: \(counts(s.excluded))")
        print("by channel: \(counts(s.byChannel))")
        print("by language: \(counts(s.byLanguage))")
        print("by country: \(counts(s.byCountry))")
        print("by day (UTC): \(counts(s.byDay))")
        print("sending hours (local): \(s.hours); first slot \(s.firstSlot ?? "-"), last slot \(s.lastSlot ?? "-")")
        let total = s.cost.values.reduce(0, +)
        let parts = s.cost.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value))" }
        print(
            "estimated cost: \(String(format: "%.2f", total)) \(s.currency) (\(parts.joined(separator: ", ")))"
                + (s.unpriced > 0 ? "; \(s.unpriced) messages have no price" : ""))
    }

    static func send(_ s: CampaignSender.Summary) {
        print("campaign \(s.campaign): sent \(s.sent); failed: \(counts(s.failed)); suppressed: \(counts(s.suppressed))")
        if s.recoveredSent + s.recoveredPlanned > 0 {
            print(
                "answers lost (a crash or the network): \(s.recoveredSent) found sent in the provider's list, "
                    + "\(s.recoveredPlanned) planned again")
        }
        if s.inDoubt > 0 {
            print(
                "in doubt: \(s.inDoubt) Viber messages that may have arrived (Viber has no message list to look them up); "
                    + "check, then run with --resend-in-doubt to send them"
            )
        }
        let waiting = [
            ("quiet hours", s.waitingQuietHours), ("daily limit", s.waitingDailyLimit), ("no endpoint", s.waitingNoEndpoint),
        ].filter { $0.1 > 0 }
        if !waiting.isEmpty { print("due but waiting: " + waiting.map { "\($0.0) \($0.1)" }.joined(separator: ", ")) }
        print("not yet due: \(s.notYetDue)" + (s.nextSlot.map { "; next slot \($0)" } ?? ""))
        if s.retries > 0 { print("retries: \(s.retries)") }
    }

    static func replies(_ s: ReplySummary, file: String) {
        print(
            "\(file): \(s.read) read; new messages: \(counts(s.messages)); \(s.duplicates) already ingested; "
                + "\(s.answeringCampaign) answer a campaign; \(s.unknownSenders) from unknown senders")
        print(
            "  consent events added: \(s.consentEventsAdded); statuses applied \(s.statusesApplied), unmatched \(s.statusesUnmatched)"
                + (s.skippedOutbound > 0 ? "; outbound rows skipped \(s.skippedOutbound)" : ""))
    }

    static func status(_ s: CampaignStatus) {
        func line(_ label: String, _ c: CampaignStatus.Counts) -> String {
            let states = MessageState.allCases.map { "\($0.rawValue) \(c.states[$0.rawValue] ?? 0)" }
            return "\(label): " + states.joined(separator: ", ")
                + ", delivered \(c.delivered), replied yes \(c.repliedYes) / no \(c.repliedNo) / other \(c.repliedOther)"
        }
        print("campaign \(s.campaign)")
        print(line("total", s.total))
        for (channel, c) in s.byChannel.sorted(by: { $0.key < $1.key }) { print(line("  \(channel)", c)) }
        for (language, c) in s.byLanguage.sorted(by: { $0.key < $1.key }) { print(line("  language \(language)", c)) }
        if !s.excluded.isEmpty { print("not planned: \(counts(s.excluded))") }
        if !s.failed.isEmpty { print("failed: \(counts(s.failed))") }
        if let next = s.nextSlot { print("next slot: \(next)") }
    }
}
