import Foundation

extension AuditSections {
    /// The numbering plans behind every number, the legacy forms rewritten (one line per
    /// rule), and the rows left for a person to confirm, with masked samples.
    func numberingSection() throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "numbering", title: "Numbering plans, legacy forms and rows in review")
        section.notes.append(
            "Numbers were read with libphonenumber on the numbering plans \(numbering.metadataVersion), shipped with "
                + "the tool (the run manifest names the plans each run used).")
        section.figures = [
            try breakdown(
                "numbering.legacy_forms", "Legacy forms current plans withdrew, rewritten to today's number, by rule",
                flagCounts(numbering.legacyFlags)),
            try breakdown(
                "numbering.evidence",
                "Rows read by the evidence they carry: national writing (trunk prefix and a separated area code), "
                    + "scientific notation whose dropped zeros the column's precision vouches for",
                flagCounts(numbering.evidenceFlags)),
            try breakdown(
                "numbering.review",
                "Rows in review (two valid readings, the row's evidence points both ways; never messaged), by reason",
                """
                SELECT reason\(byteOrder), COUNT(*) FROM normalized_rows WHERE outcome = 'review' GROUP BY reason
                ORDER BY 2 DESC, 1\(nullsFirst)
                """),
        ]
        for row in try reader.figureRows(
            """
            SELECT r.source_id, r.record, r.line, n.reason, n.candidates FROM normalized_rows n
            JOIN input_rows r ON r.id = n.row_id WHERE n.outcome = \(RowOutcome.review.quoted)
            ORDER BY r.id LIMIT \(samplesPerGroup)
            """, [])
        {
            let reason = row["reason"]
            let candidates = (row["candidates"] ?? "").components(separatedBy: " | ").map { masker.number($0) }
            section.samples.append(
                .init(
                    group: reason ?? "review", origin: pointer(row), value: candidates.joined(separator: " or "),
                    detail: reason.flatMap(numbering.reviewHint)))
        }
        return section
    }

    /// Rows carrying each flag, counted in one scan of `normalized_rows` (a scan per flag
    /// took 0.2 s each on a 1M store), one result row per flag in the order given.
    func flagCounts(_ flags: [String]) -> String {
        let sums = flags.enumerated().map { index, flag in "\(rowsFlagged(flag)) AS n\(index)" }
        let rows = flags.enumerated().map { index, flag in "SELECT '\(flag)', n\(index) FROM f" }
        return "WITH f AS MATERIALIZED (SELECT \(sums.joined(separator: ", ")) FROM normalized_rows WHERE flags != '') "
            + rows.joined(separator: " UNION ALL ")
    }
}
