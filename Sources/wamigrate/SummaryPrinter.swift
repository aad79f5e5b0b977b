import Foundation
import WamigrateBase
import WamigrateCore
import WamigrateStore

/// The human summary on stdout (or JSON with --json).
enum SummaryPrinter {
    static func print(_ summary: RunSummary, json: Bool) throws {
        if json {
            try printJSON(summary)
            return
        }
        var lines: [String] = []
        lines.append("run #\(summary.runID)\(summary.dryRun ? " (dry run)" : "") · store \(summary.store)")
        if !summary.stagesRun.isEmpty { lines.append("stages run: \(summary.stagesRun.joined(separator: ", "))") }
        if !summary.stagesSkipped.isEmpty {
            lines.append("up to date, skipped: \(summary.stagesSkipped.joined(separator: ", "))")
        }
        if let extract = summary.extract {
            for source in extract.sources {
                lines.append("  \(source.name): \(source.rows) rows (\(source.profile), \(source.encoding), \(source.delimiter))")
                if let reason = source.profileReason, reason != "named" {
                    lines.append("    profile \(source.profile): \(reason)")
                }
            }
        }
        if let normalize = summary.normalize {
            lines.append(
                "normalized: \(normalize.ok) numbers, \(normalize.viberOnly) Viber-only, \(normalize.rejected.values.reduce(0, +)) rejected"
            )
            for (reason, count) in normalize.rejected.sorted(by: { $0.key < $1.key }) {
                lines.append("  rejected \(reason): \(count)")
            }
            let ambiguous = normalize.ambiguous ?? [:]
            let fallback = normalize.flags["national_fallback"] ?? 0
            if !ambiguous.isEmpty || fallback > 0 {
                lines.append(
                    "  digits without + valid both ways: \(ambiguous["international"] ?? 0) read internationally, "
                        + "\(ambiguous["national"] ?? 0) nationally; \(fallback) read nationally in an international source "
                        + "(flagged on the row: review with `trace`)")
            }
            if let unknown = normalize.unknownCountries, !unknown.isEmpty {
                let top = unknown.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(8)
                lines.append(
                    "  country cells naming no known country (default region used, flagged unknown_country): "
                        + top.map { "'\($0.key)' \($0.value)" }.joined(separator: ", "))
            }
        }
        if let dedupe = summary.dedupe {
            lines.append(
                "contacts: \(dedupe.contacts - dedupe.viberOnlyContacts) with a number, \(dedupe.viberOnlyContacts) Viber-only; \(dedupe.merged) rows merged"
            )
            if !dedupe.conflicts.isEmpty {
                lines.append(
                    "  conflicts flagged: "
                        + dedupe.conflicts.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                )
            }
        }
        if let verify = summary.verify { lines += verifyLines(verify) }
        if let lists = summary.import {
            lines.append(
                "lists: " + ImportListNames.order.map { "\($0) \(lists.lists[$0] ?? 0)" }.joined(separator: ", ")
                    + " (\(lists.contacts) contacts, \(lists.rejectedRows) rejected rows)")
        }
        lines.append(summary.books.line)
        if let outputs = summary.outputs { lines.append("wrote: " + outputs.files.joined(separator: ", ")) }
        if let files = summary.import?.files, let first = files.first {
            let folder = (first as NSString).deletingLastPathComponent
            lines.append("wrote lists: \(ImportListNames.order.joined(separator: ", ")) (.csv and .jsonl) in \(folder)/")
        }
        lines.append("libphonenumber: \(summary.phonenumberLibrary), numbering plans \(summary.phonenumberMetadata)")
        Swift.print(Terminal.printable(lines.joined(separator: "\n")))
    }

    static func verifyLines(_ verify: VerifyReport) -> [String] {
        var lines: [String] = []
        let statuses = RegistrationStatus.allCases.map { "\($0.rawValue) \(verify.statuses[$0.rawValue] ?? 0)" }
        lines.append("verify (\(verify.verifier)): " + statuses.joined(separator: ", "))
        if verify.verifier == "contacts-api" {
            lines.append(
                "  \(verify.checked) checked in \(verify.batches) batches (\(verify.batchesResumed) resumed, "
                    + "\(verify.requests) requests), \(verify.cached) fresh answers reused; "
                    + "checks used \(verify.checksUsed) of budget \(verify.budget)")
        }
        if let delivery = verify.deliveryReport {
            lines.append(
                "  \(delivery.statuses) statuses: \(delivery.onWhatsApp) on WhatsApp, \(delivery.notOnWhatsApp) not deliverable, "
                    + "\(delivery.noChange.values.reduce(0, +)) no change, \(delivery.unmatched) matched no contact")
        }
        if verify.waIDDiffers > 0 || verify.waIDMerges > 0 {
            lines.append(
                "  wa_id differs from the number for \(verify.waIDDiffers); \(verify.waIDMerges) contacts merged by wa_id")
        }
        lines += verify.warnings.map { "  WARNING: \($0)" }
        return lines
    }
}

enum ImportListNames {
    static let order = ["whatsapp_ready", "reconsent", "unreachable", "rejected", "review"]
}
