import Foundation

extension AuditSections {
    /// Legacy scenarios converted (`scenarios convert --store`) and templates submitted.
    func scenarios() throws -> AuditReport.Section? {
        let artifacts = try exists("scenario_artifacts")
        let submissions = try exists("template_submissions")
        guard artifacts || submissions else { return nil }
        var section = AuditReport.Section(id: "scenarios", title: "Scenario conversion and templates")
        if artifacts {
            section.figures += [
                try breakdown(
                    "scenarios.artifacts", "Legacy artifacts by outcome",
                    """
                    SELECT kind || ' ' || status\(byteOrder), COUNT(*) FROM scenario_artifacts GROUP BY 1
                    ORDER BY 2 DESC, 1
                    """),
                try count(
                    "scenarios.lint_errors", "Lint errors (drafts to fix)",
                    "SELECT COALESCE(SUM(lint_errors), 0) FROM scenario_artifacts"),
                try count(
                    "scenarios.lint_warnings", "Lint warnings",
                    "SELECT COALESCE(SUM(lint_warnings), 0) FROM scenario_artifacts"),
                try count(
                    "scenarios.losses", "Things a conversion could not carry over",
                    "SELECT COALESCE(SUM(losses), 0) FROM scenario_artifacts"),
            ]
        }
        if submissions {
            section.figures += [
                try breakdown(
                    "scenarios.submissions", "Template submissions by state and answered status",
                    """
                    SELECT state || ' ' || COALESCE(status, '-')\(byteOrder), COUNT(*) FROM template_submissions
                    GROUP BY 1 ORDER BY 2 DESC, 1
                    """),
                try breakdown(
                    "scenarios.categories", "Submitted templates by category answered",
                    """
                    SELECT COALESCE(answered_category, category)\(byteOrder), COUNT(*) FROM template_submissions
                    GROUP BY 1 ORDER BY 2 DESC, 1
                    """),
            ]
        }
        return section
    }

    /// Re-consent campaigns: messages, receipts and replies.
    func campaigns() throws -> AuditReport.Section? {
        guard try exists("campaign_messages") else { return nil }
        var section = AuditReport.Section(id: "campaigns", title: "Re-consent campaigns")
        section.figures = [
            try breakdown(
                "campaigns.messages", "Campaign messages by campaign, channel and state",
                """
                SELECT campaign || ' ' || channel || ' ' || state\(byteOrder), COUNT(*) FROM campaign_messages
                GROUP BY 1 ORDER BY 1
                """),
            try breakdown(
                "campaigns.delivery", "Sent messages by delivery receipt",
                """
                SELECT COALESCE(delivery, 'no receipt')\(byteOrder), COUNT(*) FROM campaign_messages
                WHERE state = \(MessageState.sent.quoted) GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            try breakdown(
                "campaigns.replies", "Replies by class",
                "SELECT class\(byteOrder), COUNT(*) FROM inbound_messages GROUP BY class ORDER BY 2 DESC, 1"),
        ]
        return section
    }

    /// Waves (WhatsApp templates through the Cloud API) and what their webhooks said.
    func waves() throws -> AuditReport.Section? {
        guard try exists("wave_messages"),
            ReportRow.integer(try reader.rows("SELECT COUNT(*) FROM waves", []).first?[0]) > 0
        else { return nil }
        var section = AuditReport.Section(id: "waves", title: "WhatsApp waves")
        section.figures = [
            try breakdown(
                "waves.state", "Wave messages by wave and state",
                "SELECT wave || ': ' || state\(byteOrder), COUNT(*) FROM wave_messages GROUP BY 1 ORDER BY 1"),
            try breakdown(
                "waves.delivery", "Sent messages by the latest status webhooks reported",
                """
                SELECT wave || ': ' || COALESCE(delivery, 'no status yet')\(byteOrder), COUNT(*) FROM wave_messages
                WHERE state = 'sent' GROUP BY 1 ORDER BY 1
                """),
            try breakdown(
                "waves.errors", "Failed messages by error code",
                """
                SELECT error_code\(byteOrder), COUNT(*) FROM wave_messages WHERE error_code IS NOT NULL GROUP BY 1
                ORDER BY 2 DESC, 1
                """),
            try count(
                "waves.learned", "Numbers whose registration a webhook decided",
                "SELECT COUNT(*) FROM registrations WHERE verifier = 'webhook' AND status != 'unknown'"),
            try breakdown(
                "waves.limit", "Messaging limit each wave last ran under (-1: unlimited), and where it came from",
                """
                SELECT name || ': ' || COALESCE(tier_source, '--tier'), COALESCE(tier, -1) FROM waves
                ORDER BY name\(byteOrder)
                """),
            try count(
                "waves.in_doubt", "Messages in doubt (a crash hid the answer; not sent again)",
                "SELECT COUNT(*) FROM wave_messages WHERE state = 'in_doubt'"),
        ]
        return section
    }

    /// The audience of a first template wave, by market: what the cost is computed from.
    public func readyByMarket() throws -> AuditReport.Figure {
        try breakdown(
            "cost.ready_by_market", "whatsapp_ready contacts by market",
            """
            SELECT COALESCE(c.region, 'unknown')\(byteOrder), COUNT(*) FROM import_lists l
            JOIN contacts c ON c.id = l.contact_id
            WHERE l.list = \(ImportList.whatsappReady.quoted) GROUP BY 1 ORDER BY 2 DESC, 1
            """)
    }
}
