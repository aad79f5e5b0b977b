import WamigrateCore

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
            }
        }
        if let normalize = summary.normalize {
            lines.append(
                "normalized: \(normalize.ok) numbers, \(normalize.viberOnly) Viber-only, \(normalize.rejected.values.reduce(0, +)) rejected"
            )
            for (reason, count) in normalize.rejected.sorted(by: { $0.key < $1.key }) {
                lines.append("  rejected \(reason): \(count)")
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
        lines.append(summary.books.line)
        if let outputs = summary.outputs { lines.append("wrote: " + outputs.files.joined(separator: ", ")) }
        lines.append("libphonenumber: \(summary.phonenumberLibrary), metadata \(summary.phonenumberMetadata)")
        Swift.print(lines.joined(separator: "\n"))
    }
}
