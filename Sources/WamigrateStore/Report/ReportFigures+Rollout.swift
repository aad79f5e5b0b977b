import GRDB
import WamigrateBase
import WamigrateModel

extension ReportFigures {
    /// Waves planned with `--rollout`, `--variants` or `--holdout`: how many each cohort holds and
    /// whether it is out, the holdout, every signal per variant over the measured messages, and
    /// the gate decisions. Core adds the intervals, the comparison and the pauses from these.
    func rollout(_ db: Database) throws -> AuditReport.Section? {
        let rolloutWave = "json_extract(settings_json, '$.rollout') IS NOT NULL"
        let waves = try Row.fetchAll(
            db,
            sql: """
                SELECT name, COALESCE(json_extract(settings_json, '$.rollout.wait'), 0) AS wait FROM waves
                WHERE \(rolloutWave) ORDER BY name
                """
        ).map { (name: $0["name"] as String, wait: $0["wait"] as Int64) }
        guard !waves.isEmpty else { return nil }
        var section = AuditReport.Section(id: "rollout", title: "Gradual rollout and A/B tests")
        let holdout = "m.state = \(MessageState.excluded.quoted) AND m.reason = \(MessageReason.holdout.quoted)"
        section.figures = [
            try breakdown(
                db, "rollout.released", "Cohorts released to send, by wave",
                "SELECT name, released FROM waves WHERE \(rolloutWave) ORDER BY name"),
            try breakdown(
                db, "rollout.cohorts", "Messages per cohort (holdout apart), and whether the cohort is out",
                """
                SELECT m.wave || ': cohort ' || (m.cohort + 1) || CASE WHEN m.cohort < w.released THEN ' (released)'
                  ELSE ' (held back)' END, COUNT(*)
                FROM wave_messages m JOIN waves w ON w.name = m.wave
                WHERE json_extract(w.settings_json, '$.rollout') IS NOT NULL AND NOT (\(holdout))
                GROUP BY m.wave, m.cohort ORDER BY m.wave, m.cohort
                """),
            try breakdown(
                db, "rollout.holdout", "People held back on the legacy channel (never sent this wave), by wave",
                """
                SELECT w.name, COUNT(m.id) FROM waves w LEFT JOIN wave_messages m ON m.wave = w.name AND \(holdout)
                WHERE json_extract(w.settings_json, '$.rollout') IS NOT NULL GROUP BY w.name ORDER BY w.name
                """),
            try breakdown(
                db, "rollout.signals",
                "Per wave and variant: messages measured (sent at least the wave's wait before the report) and each "
                    + "signal among them",
                waves.map { signalsQuery(wave: $0.name, cutoff: now - $0.wait) }.joined(separator: "\nUNION ALL\n")),
            try breakdown(
                db, "rollout.holdout_legacy",
                "The holdout on the legacy channel: people messaged on SMS/Viber, and of them delivered, failed, replied "
                    + "and opted out after their latest message",
                waves.map { holdoutQuery(wave: $0.name) }.joined(separator: "\nUNION ALL\n")),
            try breakdown(
                db, "rollout.decisions", "Gate decisions (advance, promote) as recorded, with the sample they stood on",
                """
                SELECT wave || ': cohort ' || (cohort + 1) || ' at ' || strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch')
                  || ': ' || verdict || ' (' || detail || ')', sample
                FROM wave_rollout_decisions ORDER BY wave, id
                """),
        ]
        return section
    }

    /// One wave's holdout figures, unpivoted to `wave: figure` rows.
    func holdoutQuery(wave: String) -> String {
        let literal = "'" + wave.replacingOccurrences(of: "'", with: "''") + "'"
        let keys = ["measured", "delivered", "failed", "replied", "optout"]
        let pick = keys.map { "WHEN '\($0)' THEN t.\($0)" }.joined(separator: " ")
        let list = keys.enumerated().map { "SELECT \($0.offset) AS i, '\($0.element)' AS key" }.joined(separator: " UNION ALL ")
        return """
            SELECT * FROM (SELECT \(literal) || ': ' || k.key, CASE k.key \(pick) END
            FROM (\(JobStore.holdoutLegacySQL.replacingOccurrences(of: ":wave", with: literal))) t
            CROSS JOIN (\(list)) k ORDER BY k.i)
            """
    }

    /// One wave's signal counts per variant, unpivoted to `wave: variant: signal` rows, with the
    /// cutoff written into the query so an auditor's rerun counts the same messages.
    func signalsQuery(wave: String, cutoff: Int64) -> String {
        let cells = JobStore.rolloutCellsSQL()
            .replacingOccurrences(of: ":wave", with: "'" + wave.replacingOccurrences(of: "'", with: "''") + "'")
            .replacingOccurrences(of: ":cutoff", with: String(cutoff))
        let columns = ["measured"] + RolloutSignal.allCases.map(\.rawValue)
        let picks = columns.enumerated().map { index, column in
            "SELECT \(index) AS i, c.variant AS variant, '\(column)' AS signal, sum(c.\(column)) AS n FROM cells c GROUP BY c.variant"
        }.joined(separator: " UNION ALL ")
        let prefix = wave.replacingOccurrences(of: "'", with: "''")
        return """
            SELECT * FROM (WITH cells AS (\(cells))
            SELECT '\(prefix): ' || variant || ': ' || signal, COALESCE(n, 0) FROM (\(picks)) ORDER BY variant, i)
            """
    }
}
