import WamigrateBase
import WamigrateCore
import WamigrateStore

/// `trace` as text: one line per fact, in the order the pipeline made them.
enum TracePrinter {
    /// Cells can hold ESC/OSC sequences: nothing from them may drive the terminal.
    private static func show(_ line: String) { Swift.print(Terminal.printable(line)) }

    static func print(_ t: ContactTrace) {
        show("\(t.address): contact \(t.contactID ?? "none in this job")  [\(t.masking)]")
        for row in t.sourceRows {
            var line = "row \(row.origin) (line \(row.line)): \"\(row.raw)\" → \(row.normalized)"
            if let e164 = row.e164 { line += " \(e164)" }
            if let region = row.region { line += ", \(region) from \(row.regionSource ?? "?")" }
            if let type = row.numberType { line += ", \(type)" }
            if let reason = row.reason { line += ", reason \(reason)" }
            if let flags = row.flags, !flags.isEmpty { line += ", flags \(flags)" }
            line += "; \(row.outcome); consent \(row.consent)" + (row.consentAt.map { " at \($0)" } ?? "")
            show(line)
        }
        for field in t.fields where field.value != nil || field.from != nil {
            show(
                "field \(field.field): \(field.value ?? "-")" + (field.from.map { " from \($0)" } ?? "") + " (\(field.rule))")
        }
        if !t.conflicts.isEmpty { show("conflicts flagged: \(t.conflicts.joined(separator: ", "))") }
        if let v = t.verification {
            show(
                "whatsapp: \(v.status) (\(v.verifier) answered \(v.answer) at \(v.checkedAt)"
                    + (v.batch.map { ", batch \($0) \(v.batchState ?? "")" } ?? "") + (v.waID.map { ", wa_id \($0)" } ?? "")
                    + ")")
            for status in v.statuses { show("  evidence: \(status)") }
        } else if t.contactID != nil {
            show("whatsapp: not checked")
        }
        if let list = t.list { show("import list: \(list)" + (t.listReason.map { " (\($0))" } ?? "")) }
        for m in t.messages {
            show(
                "message \(m.campaign) via \(m.channel.rawValue): \(m.state)" + (m.reason.map { " (\($0))" } ?? "")
                    + (m.sendAt.map { ", slot \($0)" } ?? "") + (m.sentAt.map { ", sent \($0)" } ?? "")
                    + (m.delivery.map { ", \($0)" } ?? "") + (m.textVersion.map { ", text \($0)" } ?? ""))
        }
        for r in t.replies {
            show("reply via \(r.channel.rawValue) at \(r.receivedAt): \(r.classification) \"\(r.body)\" (\(r.origin))")
        }
        for e in t.ledger {
            var line =
                "ledger #\(e.id ?? 0) \(e.kind.rawValue) via \(e.source) at \(e.at.map { ISOTime.string($0) } ?? "undated")"
            if let keyword = e.keyword { line += ", keyword \(keyword)" }
            if let campaign = e.campaign { line += ", campaign \(campaign)" }
            if let version = e.wordingVersion { line += ", wording \(version)" }
            if let evidence = e.evidence { line += "; \(evidence)" }
            show(line)
        }
        if t.contactID != nil {
            show(
                "consent now: \(t.consent); counts for WhatsApp: \(t.whatsappConsent)"
                    + (t.marketingStopped ? "; WhatsApp marketing stopped (MARKETING templates are not sent)" : ""))
        }
    }
}
