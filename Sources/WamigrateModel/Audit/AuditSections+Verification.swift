import Foundation

extension AuditSections {
    /// The last verify's report: the budget as it applied it (flags and config merged), the
    /// checks it used and the numbers it planned.
    static let lastVerify = "(SELECT details_json FROM stage_runs WHERE stage = 'verify' ORDER BY id DESC LIMIT 1)"

    /// WhatsApp verification: statuses, answers, batches, and the check budget with any overrun.
    func verification() throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "verification", title: "WhatsApp verification and the check budget")
        let budget = "COALESCE(\(jsonInteger(Self.lastVerify, "budget")), 0)"
        let used = "COALESCE(\(jsonInteger(Self.lastVerify, "checksUsed")), 0)"
        section.figures = [
            try breakdown(
                "verification.status", "Contacts with a number, by WhatsApp status",
                """
                SELECT COALESCE(r.status, 'unknown')\(byteOrder), COUNT(*) FROM contacts c
                LEFT JOIN registrations r ON r.e164 = c.e164
                WHERE c.e164 IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            try breakdown(
                "verification.answers", "Answers by verifier and answer",
                """
                SELECT r.verifier || ': ' || r.answer\(byteOrder), COUNT(*) FROM contacts c
                JOIN registrations r ON r.e164 = c.e164 GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            try breakdown(
                "verification.batches", "Batches by state",
                "SELECT state\(byteOrder), COUNT(*) FROM verify_batches GROUP BY state ORDER BY 2 DESC, 1"),
            try count(
                "verification.checks_used", "Contact checks used over the job's life",
                "SELECT COUNT(*) FROM verify_items i JOIN verify_batches b ON b.id = i.batch_id WHERE b.attempts > 0"),
            try count(
                "verification.budget", "Check budget the last verify applied (0: none)", "SELECT \(budget)"),
            try count(
                "verification.over_budget", "Checks used beyond that budget (--allow-over-budget)",
                """
                SELECT CASE WHEN \(budget) > 0
                  THEN \(greatest("0", "\(used)\n    - \(jsonInteger(Self.lastVerify, "budget"))")) ELSE 0 END
                """),
            try count(
                "verification.planned", "Numbers the last verify set out to check",
                "SELECT COALESCE(\(jsonInteger(Self.lastVerify, "planned")), 0)"),
        ]
        if let over = section.figures.first(where: { $0.id == "verification.over_budget" })?.value, over > 0 {
            let budget = section.figures.first { $0.id == "verification.budget" }?.value ?? 0
            section.notes.append(
                "OVER BUDGET: \(AuditReport.grouped(over)) checks beyond the budget of \(AuditReport.grouped(budget)) "
                    + "(verify ran with --allow-over-budget).")
        }
        let verifyRun = try reader.rows(
            """
            SELECT r.dry_run FROM stage_runs s JOIN runs r ON r.id = s.run_id WHERE s.stage = 'verify'
            ORDER BY s.id DESC LIMIT 1
            """, [])
        if let dry = verifyRun.first, ReportRow.integer(dry[0]) != 0 {
            section.notes.append(
                "Dry run: verify planned its checks against the budget but sent none; numbers without an earlier "
                    + "answer stay unchecked.")
        }
        return section
    }

    /// The consent ledger by source, and the lists by consent state.
    func consent() throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "consent", title: "Consent by source")
        section.figures = [
            try breakdown(
                "consent.ledger", "Consent ledger events, by source and event",
                """
                SELECT source || ' ' || event\(byteOrder), COUNT(*) FROM consent_events GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            try breakdown(
                "consent.lists", "Listed contacts by list and consent state",
                """
                SELECT list || ' ' || COALESCE(consent, 'unknown')\(byteOrder), COUNT(*) FROM import_lists
                WHERE contact_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            try breakdown(
                "consent.ready_evidence", "whatsapp_ready contacts by the source of their consent",
                """
                SELECT COALESCE(e.source, 'none')\(byteOrder), COUNT(*) FROM import_lists l
                LEFT JOIN consent_events e ON e.id = l.consent_event
                WHERE l.list = \(ImportList.whatsappReady.quoted) GROUP BY 1 ORDER BY 2 DESC, 1
                """),
        ]
        return section
    }
}
