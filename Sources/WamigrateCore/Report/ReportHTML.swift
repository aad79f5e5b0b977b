import Foundation
import WamigrateBase
import WamigrateModel

/// report.html: one file with its CSS and SVG charts inline, nothing fetched.
enum ReportHTML {
    static func render(_ report: AuditReport) -> String {
        var body = header(report)
        body += books(report)
        for section in report.sections {
            body += "<section id=\"\(section.id)\"><h2>\(HTML.escape(section.title))</h2>"
            // What must not be missed comes first: an overrun budget, the unpriced share.
            for note in section.notes where note.hasPrefix("OVER BUDGET") {
                body += "<p><span class=\"badge dry\">\(HTML.escape(note))</span></p>"
            }
            if section.id == "cost" { body += unpriced(report.cost) }
            body += charts(section)
            body += figureTable(section.figures)
            if section.id == "cost" { body += cost(report) }
            if !section.samples.isEmpty { body += samples(section, masking: report.masking) }
            for note in section.notes where !note.hasPrefix("OVER BUDGET") {
                body += "<p class=\"note\">\(HTML.escape(note).replacingOccurrences(of: "\n", with: "<br>"))</p>"
            }
            body += "</section>"
        }
        body += manifest(report.manifest)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>wamigrate report: the job as of run #\(report.run.id)</title>
            <style>\(style)</style></head>
            <body>\(body)
            <footer>Every figure above comes from the SQL query shown beside it (also in report.json); run it against
            the store with <code>sqlite3 \(HTML.escape(report.store))</code> to check it.</footer>
            </body></html>
            """
    }

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1000px;color:#1d2733;padding:0 1rem}
        h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #dde3ea;padding-bottom:.2rem;margin-top:2.2rem}
        table{border-collapse:collapse;margin:.6rem 0;width:100%}td,th{border:1px solid #dde3ea;padding:.25rem .5rem;text-align:left;vertical-align:top}
        th{background:#f3f6f9}td.n{text-align:right;font-variant-numeric:tabular-nums}
        code,.q{font:12px ui-monospace,Menlo,Consolas,monospace}.q{color:#5a6b7d;white-space:pre-wrap}
        .badge{display:inline-block;padding:.15rem .5rem;border-radius:.3rem;font-weight:600;margin-right:.4rem}
        .ok{background:#dff3e4;color:#14532d}.dry{background:#fff4d6;color:#7a5200}.mask{background:#e8eefc;color:#1e3a8a}
        svg.chart text{font:12px system-ui,sans-serif;fill:#1d2733}.note{color:#5a6b7d}
        details{margin:.4rem 0}footer{margin-top:3rem;color:#5a6b7d;font-size:.9em}
        """

    static func header(_ report: AuditReport) -> String {
        let run = report.run
        let kind = run.dryRun ? "<span class=\"badge dry\">DRY RUN: nothing was sent</span>" : ""
        return """
            <h1>wamigrate report: the job as of run #\(run.id)</h1>
            <p>\(kind)<span class="badge mask">\(HTML.escape(maskingText(report.masking)))</span></p>
            <p>Store <code>\(HTML.escape(report.store))</code>: its state after run #\(run.id) (started \(run.startedAt), \
            finished \(run.finishedAt ?? "-"), \(HTML.escape(run.status))); report generated \(report.generatedAt). Which run \
            made each stage's results, and with which command, is in the first section.</p>
            """
    }

    static func maskingText(_ mode: String) -> String {
        switch mode {
        case "unmasked": "UNMASKED: numbers and names shown in full"
        case "hmac-sha256": "numbers as keyed hashes (HMAC-SHA256); names masked"
        default: "numbers and names masked"
        }
    }

    static func books(_ report: AuditReport) -> String {
        let b = report.books
        return """
            <section id="books"><h2>The books</h2>
            <p><span class="badge ok">balanced</span>Every input row ends in exactly one of kept, merged or rejected:</p>
            <p><b>rows in \(g(b.rowsIn)) = kept \(g(b.kept)) + merged \(g(b.merged)) + rejected \(g(b.rejected))\(b.pending > 0 ? " + pending \(g(b.pending))" : "")</b></p>
            \(table(["total", "query"], report.booksQueries.sorted { $0.key < $1.key }.map { ["<code>\($0.key)</code>", "<span class=\"q\">\(HTML.escape($0.value))</span>"] }))
            </section>
            """
    }

    static func charts(_ section: AuditReport.Section) -> String {
        if section.id == "funnel" {
            let bars = section.figures.map { (label: $0.label, value: $0.value ?? 0) }
            return SVGBarChart(title: section.title, bars: bars, color: "#1f8a70").svg
        }
        return section.figures.compactMap { figure -> String? in
            guard let rows = figure.rows, !rows.isEmpty else { return nil }
            return "<h3>\(HTML.escape(figure.label))</h3>"
                + SVGBarChart(title: figure.label, bars: rows.prefix(25).map { (label: $0.key, value: $0.value) }).svg
        }.joined()
    }

    static func figureTable(_ figures: [AuditReport.Figure]) -> String {
        var rows: [[String]] = []
        for figure in figures {
            let query =
                "<details><summary><code>\(figure.id)</code></summary><span class=\"q\">\(HTML.escape(figure.query))</span></details>"
            if let value = figure.value {
                rows.append([HTML.escape(figure.label), "<td class=\"n\">\(g(value))", query])
            } else if let breakdown = figure.rows, !breakdown.isEmpty {
                // The chart above shows the rows; the table names the total and keeps the query.
                let total = breakdown.reduce(0) { $0 + $1.value }
                rows.append([
                    HTML.escape(figure.label), "<td class=\"n\">chart above: \(g(breakdown.count)) groups, \(g(total)) in all",
                    query,
                ])
            } else {
                rows.append([HTML.escape(figure.label), "<td class=\"n\">none", query])
            }
        }
        return table(["figure", "value", "query"], rows)
    }

    static func cost(_ report: AuditReport) -> String {
        let c = report.cost
        var rows: [[String]] = c.lines.map { line in
            let cells = WhatsAppPrices.categories.map { category -> String in
                guard let rate = line.rates?[category], let cost = line.costs?[category] else { return "<td class=\"n\">no rate" }
                return "<td class=\"n\">\(format(cost)) (\(format(rate, digits: 4)) each)"
            }
            return [HTML.escape(line.market), "<td class=\"n\">\(g(line.contacts))"] + cells
        }
        rows.append(
            ["<b>total</b>", "<td class=\"n\">\(g(c.lines.reduce(0) { $0 + $1.contacts }))"]
                + WhatsAppPrices.categories.map {
                    "<td class=\"n\"><b>\(format(c.totals[$0] ?? 0)) \(HTML.escape(c.currency))</b>"
                })
        let costBars = c.lines.compactMap { line in
            line.costs?["marketing"].map { (label: line.market, value: Int($0.rounded())) }
        }
        var out = "<h3>Estimated cost in \(HTML.escape(c.currency)), one template per whatsapp_ready contact</h3>"
        out += table(["market", "contacts"] + WhatsAppPrices.categories, rows)
        if !costBars.isEmpty {
            out +=
                SVGBarChart(
                    title: "Marketing wave cost by market (\(c.currency), rounded)", bars: costBars, color: "#b0562f",
                    unit: " " + c.currency
                ).svg
        }
        out += "<h3>How long the first wave takes per messaging tier</h3>"
        out +=
            SVGBarChart(
                title: "Days to reach every whatsapp_ready contact",
                bars: report.tierWaves.map { (label: "tier \($0.tier) / 24 h", value: $0.days) },
                color: "#6b4fb0"
            ).svg
        return out
    }

    static func samples(_ section: AuditReport.Section, masking: String) -> String {
        "<h3>Samples (\(HTML.escape(maskingText(masking))))</h3>"
            + table(
                ["group", "where", "value", "detail"],
                section.samples.map {
                    [
                        HTML.escape($0.group), "<code>\(HTML.escape($0.origin))</code>", "<code>\(HTML.escape($0.value))</code>",
                        HTML.escape($0.detail ?? ""),
                    ]
                })
    }

    static func manifest(_ m: RunManifest) -> String {
        var out = "<section id=\"manifest\"><h2>Run manifest</h2>"
        out += table(
            ["", ""],
            [
                ["tool", "wamigrate \(HTML.escape(m.tool.version)), git <code>\(HTML.escape(m.tool.gitRevision))</code>"],
                [
                    "libphonenumber",
                    "\(HTML.escape(m.phonenumber.library)) (\(HTML.escape(m.phonenumber.package))), numbering plans <code>\(m.phonenumber.metadataFingerprint)</code>",
                ],
                ["dry run", m.dryRun ? "yes" : "no"],
            ])
        out += "<h3>Inputs</h3>"
        out += table(
            ["file", "bytes", "SHA-256", "profile", "records"],
            m.inputs.map {
                [
                    "<code>\(HTML.escape($0.path))</code>", "<td class=\"n\">\($0.size)", "<code>\($0.sha256)</code>",
                    HTML.escape($0.profile), "<td class=\"n\">\($0.records)",
                ]
            })
        out += "<h3>Stages</h3>"
        out += table(
            ["stage", "run", "started", "finished", "rows in", "rows out"],
            m.stages.map {
                [
                    "\($0.stage)", "#\($0.runID)\($0.skipped ? " (up to date, reused)" : "")", $0.startedAt, $0.finishedAt,
                    "<td class=\"n\">\($0.rowsIn)", "<td class=\"n\">\($0.rowsOut)",
                ]
            })
        out +=
            "<h3>Configuration (secrets removed)</h3><pre class=\"q\">\(HTML.escape(ReportMarkdown.json(m.configuration)))</pre>"
        out += "<h3>Mapping profiles</h3><pre class=\"q\">\(HTML.escape(ReportMarkdown.json(.object(m.profiles))))</pre>"
        return out + "</section>"
    }

    /// Cells that start with `<td` bring their own cell tag (for alignment).
    static func table(_ head: [String], _ rows: [[String]]) -> String {
        var out = "<table><tr>" + head.map { "<th>\($0)</th>" }.joined() + "</tr>"
        for row in rows {
            out += "<tr>" + row.map { $0.hasPrefix("<td") ? "\($0)</td>" : "<td>\($0)</td>" }.joined() + "</tr>"
        }
        return out + "</table>"
    }

    static func format(_ value: Double, digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

    static func g(_ value: Int) -> String { AuditReport.grouped(value) }

    /// The share of the whatsapp_ready list the totals leave out, before the totals.
    static func unpriced(_ c: AuditReport.Cost) -> String {
        let all = c.lines.reduce(0) { $0 + $1.contacts }
        guard all > 0 else { return "" }
        let share = Double(c.unpricedContacts) / Double(all) * 100
        let badge = c.unpricedContacts > 0 ? "badge dry" : "badge ok"
        return "<p><span class=\"\(badge)\">\(g(c.unpricedContacts)) of \(g(all)) whatsapp_ready contacts "
            + "(\(String(format: "%.0f", share)) %) are in markets without a rate: the totals below leave them out</span></p>"
    }
}
