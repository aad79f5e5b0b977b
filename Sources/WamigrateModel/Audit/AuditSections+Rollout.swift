import Foundation

extension AuditSections {
    /// Waves planned with `--rollout`, `--variants` or `--holdout`: how many each cohort holds and
    /// whether it is out, the holdout, every signal per variant over the measured messages, and
    /// the gate decisions. Core adds the intervals, the comparison and the pauses from these.
    func rollout() throws -> AuditReport.Section? {
        let rolloutWave = jsonHas("settings_json", "rollout")
        let waves = try reader.rows(
            """
            SELECT name, COALESCE(\(jsonInteger("settings_json", "rollout", "wait")), 0) AS wait FROM waves
            WHERE \(rolloutWave) ORDER BY name\(byteOrder)
            """, []
        ).map { (name: $0["name"] ?? "", wait: Int64($0.int("wait"))) }
        guard !waves.isEmpty else { return nil }
        var section = AuditReport.Section(id: "rollout", title: "Gradual rollout and A/B tests")
        let holdout = "m.state = \(MessageState.excluded.quoted) AND m.reason = \(MessageReason.holdout.quoted)"
        section.figures = [
            try breakdown(
                "rollout.released", "Cohorts released to send, by wave",
                "SELECT name, released FROM waves WHERE \(rolloutWave) ORDER BY name\(byteOrder)"),
            try breakdown(
                "rollout.cohorts", "Messages per cohort (holdout apart), and whether the cohort is out",
                """
                SELECT m.wave || ': cohort ' || (m.cohort + 1) || CASE WHEN m.cohort < w.released THEN ' (released)'
                  ELSE ' (held back)' END, COUNT(*)
                FROM wave_messages m JOIN waves w ON w.name = m.wave
                WHERE \(jsonHas("w.settings_json", "rollout")) AND NOT (\(holdout))
                GROUP BY m.wave, m.cohort, w.released ORDER BY m.wave\(byteOrder), m.cohort
                """),
            try breakdown(
                "rollout.holdout", "People held back on the legacy channel (never sent this wave), by wave",
                """
                SELECT w.name, COUNT(m.id) FROM waves w LEFT JOIN wave_messages m ON m.wave = w.name AND \(holdout)
                WHERE \(jsonHas("w.settings_json", "rollout")) GROUP BY w.name ORDER BY w.name\(byteOrder)
                """),
            try breakdown(
                "rollout.signals",
                "Per wave and variant: messages measured (sent at least the wave's wait before the report) and each "
                    + "signal among them",
                waves.map { signalsQuery(wave: $0.name, cutoff: now - $0.wait) }.joined(separator: "\nUNION ALL\n")),
            try breakdown(
                "rollout.holdout_legacy",
                "The holdout on the legacy channel: people messaged on SMS/Viber, and of them delivered, failed, "
                    + "replied and opted out after their latest message",
                waves.map { holdoutQuery(wave: $0.name) }.joined(separator: "\nUNION ALL\n")),
            try breakdown(
                "rollout.decisions", "Gate decisions (advance, promote) as recorded, with the sample they stood on",
                """
                SELECT wave || ': cohort ' || (cohort + 1) || ' at ' || \(utcTime("at"))
                  || ': ' || verdict || ' (' || detail || ')', sample
                FROM wave_rollout_decisions ORDER BY wave\(byteOrder), id
                """),
        ]
        return section
    }

    /// A text as an SQL literal.
    public static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// One wave's holdout figures, unpivoted to `wave: figure` rows.
    func holdoutQuery(wave: String) -> String {
        let keys = ["measured", "delivered", "failed", "replied", "optout"]
        let pick = keys.map { "WHEN '\($0)' THEN t.\($0)" }.joined(separator: " ")
        let list = keys.enumerated().map { "SELECT \($0.offset) AS i, '\($0.element)' AS key" }
            .joined(separator: " UNION ALL ")
        return """
            SELECT * FROM (SELECT \(Self.literal(wave)) || ': ' || k.key, CASE k.key \(pick) END
            FROM (\(reader.holdoutLegacyQuery(wave: wave))) t
            CROSS JOIN (\(list)) k ORDER BY k.i) AS holdout
            """
    }

    /// One wave's signal counts per variant, unpivoted to `wave: variant: signal` rows, with the
    /// cutoff written into the query so an auditor's rerun counts the same messages.
    func signalsQuery(wave: String, cutoff: Int64) -> String {
        let columns = ["measured"] + RolloutSignal.allCases.map(\.rawValue)
        let picks = columns.enumerated().map { index, column in
            "SELECT \(index) AS i, c.variant AS variant, '\(column)' AS signal, sum(c.\(column)) AS n FROM cells c "
                + "GROUP BY c.variant"
        }.joined(separator: " UNION ALL ")
        let prefix = wave.replacingOccurrences(of: "'", with: "''")
        return """
            SELECT * FROM (WITH cells AS (\(reader.rolloutCellsQuery(wave: wave, cutoff: cutoff)))
            SELECT '\(prefix): ' || variant || ': ' || signal, COALESCE(n, 0)
            FROM (\(picks)) AS signals ORDER BY variant\(byteOrder), i) AS rollout
            """
    }
}
