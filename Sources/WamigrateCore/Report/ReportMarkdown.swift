import Foundation
import WamigrateBase
import WamigrateModel

/// report.md: the same content as report.html in plain tables, stable order,
/// so two reports diff line by line.
enum ReportMarkdown {
    static func render(_ report: AuditReport) -> String {
        let run = report.run
        var out = ["# wamigrate report: the job as of run #\(run.id)", ""]
        if run.dryRun { out.append("**DRY RUN: nothing was sent.**") }
        out.append("Masking: \(ReportHTML.maskingText(report.masking)).")
        out.append("")
        out.append("- store: `\(report.store)`")
        out.append(
            "- as of run #\(run.id): \(run.status), \(run.startedAt) → \(run.finishedAt ?? "-") (each stage's run: first section)"
        )
        out.append("- generated: \(report.generatedAt)")
        out.append("")
        out.append("## The books")
        out.append("")
        out.append(report.books.line)
        out.append("")
        for section in report.sections {
            out.append("## \(section.title)")
            out.append("")
            out.append("| figure | id | value |")
            out.append("|---|---|---:|")
            for figure in section.figures {
                if let value = figure.value {
                    out.append("| \(cell(figure.label)) | `\(figure.id)` | \(AuditReport.grouped(value)) |")
                } else {
                    out.append("| \(cell(figure.label)) | `\(figure.id)` | |")
                    for row in figure.rows ?? [] { out.append("| · \(cell(row.key)) | | \(AuditReport.grouped(row.value)) |") }
                }
            }
            out.append("")
            if section.id == "cost" { out += cost(report) }
            if !section.samples.isEmpty {
                out.append("| sample of | where | value | detail |")
                out.append("|---|---|---|---|")
                for sample in section.samples {
                    out.append(
                        "| \(cell(sample.group)) | `\(sample.origin)` | `\(sample.value)` | \(cell(sample.detail ?? "")) |")
                }
                out.append("")
            }
            for note in section.notes { out += ["> " + note.replacingOccurrences(of: "\n", with: "  \n> "), ""] }
        }
        out += manifest(report.manifest)
        out.append("The query behind every figure id is in report.json (`sections[].figures[].query`).")
        return out.joined(separator: "\n") + "\n"
    }

    static func cost(_ report: AuditReport) -> [String] {
        let c = report.cost
        var out = [
            "Estimated cost in \(c.currency) of one template to every whatsapp_ready contact "
                + "(rates from `\(c.pricesFile)`, as of \(c.asOf); \(c.source)):", "",
            "| market | contacts | " + WhatsAppPrices.categories.joined(separator: " | ") + " |",
            "|---|---:|" + String(repeating: "---:|", count: WhatsAppPrices.categories.count),
        ]
        for line in c.lines {
            let cells = WhatsAppPrices.categories.map { category in
                guard let rate = line.rates?[category], let cost = line.costs?[category] else { return "no rate" }
                return "\(ReportHTML.format(cost)) (\(ReportHTML.format(rate, digits: 4)) each)"
            }
            out.append("| \(line.market) | \(line.contacts) | " + cells.joined(separator: " | ") + " |")
        }
        out.append(
            "| **total** | \(c.lines.reduce(0) { $0 + $1.contacts }) | "
                + WhatsAppPrices.categories.map { ReportHTML.format(c.totals[$0] ?? 0) }.joined(separator: " | ") + " |")
        out += ["", "| messaging tier (unique users / 24 h) | days for the first wave |", "|---:|---:|"]
        for wave in report.tierWaves { out.append("| \(wave.tier) | \(wave.days) |") }
        out.append("")
        return out
    }

    static func manifest(_ m: RunManifest) -> [String] {
        var out = [
            "## Run manifest", "",
            "- tool: wamigrate \(m.tool.version), git `\(m.tool.gitRevision)`",
            "- libphonenumber: \(m.phonenumber.library) (\(m.phonenumber.package)), numbering plans `\(m.phonenumber.metadataFingerprint)`",
            "- dry run: \(m.dryRun ? "yes" : "no")", "",
            "| input | bytes | SHA-256 | profile | records |", "|---|---:|---|---|---:|",
        ]
        for input in m.inputs {
            out.append("| `\(input.path)` | \(input.size) | `\(input.sha256)` | \(input.profile) | \(input.records) |")
        }
        out += ["", "| stage | run | started | finished | rows in | rows out |", "|---|---|---|---|---:|---:|"]
        for stage in m.stages {
            out.append(
                "| \(stage.stage) | #\(stage.runID)\(stage.skipped ? " (reused)" : "") | \(stage.startedAt) | \(stage.finishedAt) | \(stage.rowsIn) | \(stage.rowsOut) |"
            )
        }
        out += ["", "Configuration (secrets removed):", "", "```json", json(m.configuration), "```", ""]
        out += ["Mapping profiles:", "", "```json", json(.object(m.profiles)), "```", ""]
        return out
    }

    static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }

    static func json(_ value: JSONValue) -> String {
        String(decoding: (try? JSONEncoder.output.encode(value)) ?? Data(), as: UTF8.self)
    }
}
