import GRDB
import WamigrateModel

extension ReportFigures {
    /// The numbering plans behind every number, the legacy forms rewritten (one line per
    /// rule), and the rows left for a person to confirm, with masked samples.
    func numbering(_ db: Database, files: [Int64: String]) throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "numbering", title: "Numbering plans, legacy forms and rows in review")
        section.notes.append(
            "Numbers were read with libphonenumber on the numbering plans \(numbering.metadataVersion), shipped with "
                + "the tool (the run manifest names the plans each run used).")
        section.figures = [
            try breakdown(
                db, "numbering.legacy_forms", "Legacy forms current plans withdrew, rewritten to today's number, by rule",
                Self.flagCounts(numbering.legacyFlags)),
            try breakdown(
                db, "numbering.evidence",
                "Rows read by the evidence they carry: national writing (trunk prefix and a separated area code), "
                    + "scientific notation whose dropped zeros the column's precision vouches for",
                Self.flagCounts(numbering.evidenceFlags)),
            try breakdown(
                db, "numbering.review",
                "Rows in review (two valid readings, the row's evidence points both ways; never messaged), by reason",
                "SELECT reason, COUNT(*) FROM normalized_rows WHERE outcome = 'review' GROUP BY reason ORDER BY 2 DESC, 1"),
        ]
        for row in try memo.rows(
            db,
            """
            SELECT r.source_id, r.record, r.line, n.reason, n.candidates FROM normalized_rows n
            JOIN input_rows r ON r.id = n.row_id WHERE n.outcome = \(RowOutcome.review.quoted) ORDER BY r.id LIMIT ?
            """, [samplesPerGroup])
        {
            let reason: String? = row["reason"]
            let candidates = ((row["candidates"] as String?) ?? "").components(separatedBy: " | ").map { masker.number($0) }
            section.samples.append(
                .init(
                    group: reason ?? "review",
                    origin: Self.pointer(files[row["source_id"]], record: row["record"], line: row["line"]),
                    value: candidates.joined(separator: " or "), detail: reason.flatMap(numbering.reviewHint)))
        }
        return section
    }
}
