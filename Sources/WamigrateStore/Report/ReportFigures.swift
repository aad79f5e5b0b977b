import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

/// The report's figures as the SQLite store computes them: every figure is computed by
/// running the very query the report prints next to it, so an auditor who runs that
/// query with `sqlite3` gets the same number. Core's `ReportBuilder` adds the rules
/// (cost, tiers) and renders them.
struct ReportFigures {
    var masker: Masker
    var samplesPerGroup: Int
    var numbering: AuditRequest.Numbering
    var now: Int64
    var keptResults: Bool
    /// Where query results come from: kept ones while their tables are unchanged (`report`),
    /// recorded to be kept (the run's end), or every query run.
    var memo = QueryMemo.live

    init(_ request: AuditRequest) {
        masker = request.masker
        samplesPerGroup = request.samplesPerGroup
        numbering = request.numbering
        now = request.now
        keptResults = request.keptResults
    }

    /// The figures of the store's last finished run; each query's kept result is used while
    /// the tables it reads are unchanged.
    func collect(store: JobStore) throws -> AuditFigures {
        try store.read { db in
            var figures = self
            figures.memo = keptResults ? try QueryMemo(db, mode: .replay) : .live
            return try figures.collect(db, path: store.path)
        }
    }

    /// Runs every query the report runs (with this request) and returns their results to keep.
    func record(store: JobStore) throws -> [String: String] {
        try store.read { db in
            var figures = self
            figures.memo = try QueryMemo(db, mode: .record)
            _ = try figures.sections(db, files: try Lineage(db).fileNames)
            _ = try figures.readyByMarket(db)
            return figures.memo.recorded
        }
    }

    private func collect(_ db: Database, path: String) throws -> AuditFigures {
        guard let runID = try Int64.fetchOne(db, sql: "SELECT MAX(run_id) FROM run_manifests"),
            let manifest = try RunManifest.load(db, run: runID)
        else {
            throw WamigrateError(
                .stageOrder, "the store has no finished run to report on",
                hint: "run `wamigrate run --store \(path) ... [--dry-run]` first", at: .init(file: path))
        }
        // The books are always counted now: they are the check that no stage lost a row,
        // and a store changed behind the tool's back must fail it.
        let books = try Books.compute(db)
        guard books.balanced else {
            throw WamigrateError(
                .booksUnbalanced,
                "the books do not balance, so the report is not rendered: stage \(books.losingStage ?? "?") lost rows. "
                    + books.line,
                hint: "re-run from the stage named (`wamigrate run --force`); keep the store if it persists and report it")
        }
        var figures = AuditFigures(
            runID: runID, manifest: manifest, books: books, booksQueries: Books.queries,
            sections: try sections(db, files: try Lineage(db).fileNames), readyByMarket: try readyByMarket(db))
        figures.queries = .init(asked: memo.asked, fromKeptResults: memo.reused)
        return figures
    }

    private func sections(_ db: Database, files: [Int64: String]) throws -> [AuditReport.Section] {
        var sections = [
            try job(db), try funnel(db), try rejections(db, files: files), try numbering(db, files: files),
            try countries(db),
            try merges(db, files: files), try verification(db), try consent(db),
        ]
        if let scenarios = try scenarios(db) { sections.append(scenarios) }
        if let campaigns = try campaigns(db) { sections.append(campaigns) }
        if let waves = try waves(db) { sections.append(waves) }
        if let rollout = try rollout(db) { sections.append(rollout) }
        return sections
    }

    // MARK: - Figures

    /// Waves (WhatsApp templates through the Cloud API) and what their webhooks said.
    func waves(_ db: Database) throws -> AuditReport.Section? {
        guard try exists(db, "wave_messages"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM waves") ?? 0 > 0 else {
            return nil
        }
        var section = AuditReport.Section(id: "waves", title: "WhatsApp waves")
        section.figures = [
            try breakdown(
                db, "waves.state", "Wave messages by wave and state",
                "SELECT wave || ': ' || state, COUNT(*) FROM wave_messages GROUP BY 1 ORDER BY 1"),
            try breakdown(
                db, "waves.delivery", "Sent messages by the latest status webhooks reported",
                """
                SELECT wave || ': ' || COALESCE(delivery, 'no status yet'), COUNT(*) FROM wave_messages
                WHERE state = 'sent' GROUP BY 1 ORDER BY 1
                """),
            try breakdown(
                db, "waves.errors", "Failed messages by error code",
                "SELECT error_code, COUNT(*) FROM wave_messages WHERE error_code IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1"),
            try count(
                db, "waves.learned", "Numbers whose registration a webhook decided",
                "SELECT COUNT(*) FROM registrations WHERE verifier = 'webhook' AND status != 'unknown'"),
            try breakdown(
                db, "waves.limit", "Messaging limit each wave last ran under (-1: unlimited), and where it came from",
                "SELECT name || ': ' || COALESCE(tier_source, '--tier'), COALESCE(tier, -1) FROM waves ORDER BY name"),
            try count(
                db, "waves.in_doubt", "Messages in doubt (a crash hid the answer; not sent again)",
                "SELECT COUNT(*) FROM wave_messages WHERE state = 'in_doubt'"),
        ]
        return section
    }

    /// The one pointer format: `file:record` (what `trace` takes), the physical line beside it.
    static func pointer(_ file: String?, record: Int, line: Int) -> String {
        "\(file ?? "?"):\(record) (line \(line))"
    }

    func count(_ db: Database, _ id: String, _ label: String, _ sql: String) throws -> AuditReport.Figure {
        AuditReport.Figure(id: id, label: label, query: sql, value: try memo.count(db, sql))
    }

    func breakdown(_ db: Database, _ id: String, _ label: String, _ sql: String) throws -> AuditReport.Figure {
        let rows = try memo.values(db, sql).map { values in
            AuditReport.Figure.Row(
                key: values.first.flatMap { String.fromDatabaseValue($0) } ?? "null",
                value: QueryMemo.int(values.dropFirst().first))
        }
        return AuditReport.Figure(id: id, label: label, query: sql, rows: rows)
    }

    func exists(_ db: Database, _ table: String) throws -> Bool {
        try memo.count(db, "SELECT COUNT(*) FROM \(table)") > 0
    }

    // MARK: - Sections

    func funnel(_ db: Database) throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "funnel", title: "Funnel: input rows to outcome lists")
        section.figures = [
            try count(db, "funnel.rows_in", "Input rows", "SELECT COUNT(*) FROM input_rows"),
            try count(
                db, "funnel.kept", "Kept as a contact",
                "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.kept.quoted)"),
            try count(
                db, "funnel.merged", "Merged into a contact",
                "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.merged.quoted)"),
            try count(
                db, "funnel.rejected", "Rejected by normalize",
                "SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.rejected.quoted)"),
            try count(
                db, "funnel.review", "In review (a person must confirm the number)",
                "SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.review.quoted)"),
            try count(db, "funnel.contacts", "Contacts", "SELECT COUNT(*) FROM contacts"),
            try count(
                db, "funnel.verified", "Verified (a WhatsApp answer)",
                "SELECT COUNT(*) FROM contacts c JOIN registrations r ON r.e164 = c.e164 WHERE r.status != \(RegistrationStatus.unknown.quoted)"
            ),
        ]
        for list in ImportList.allCases {
            section.figures.append(
                try count(
                    db, "funnel.list.\(list.rawValue)", "List \(list.rawValue)",
                    "SELECT COUNT(*) FROM import_lists WHERE list = '\(list.rawValue)'"))
        }
        section.notes.append("The rejected list holds the rows normalize rejected plus the contacts import rejected.")
        return section
    }

    func rejections(_ db: Database, files: [Int64: String]) throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "rejections", title: "Rejections by reason")
        let byReason = try breakdown(
            db, "rejections.normalize", "Input rows rejected by normalize, by reason",
            "SELECT reason, COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.rejected.quoted) GROUP BY reason ORDER BY 2 DESC, 1"
        )
        section.figures.append(byReason)
        section.figures.append(
            try breakdown(
                db, "rejections.import", "Contacts import rejected, by reason",
                """
                SELECT reason, COUNT(*) FROM import_lists WHERE list = \(ImportList.rejected.quoted) AND contact_id IS NOT NULL
                GROUP BY reason ORDER BY 2 DESC, 1
                """))
        for reason in byReason.rows ?? [] {
            for row in try memo.rows(
                db,
                """
                SELECT r.source_id, r.record, r.phone_raw, r.line FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
                WHERE n.outcome = \(RowOutcome.rejected.quoted) AND n.reason = ? ORDER BY r.id LIMIT ?
                """, [reason.key, samplesPerGroup])
            {
                section.samples.append(
                    .init(
                        group: reason.key,
                        origin: Self.pointer(files[row["source_id"]], record: row["record"], line: row["line"]),
                        value: masker.raw(row["phone_raw"])))
            }
        }
        return section
    }

    /// Rows carrying each flag, counted in one scan of `normalized_rows` (a scan per flag
    /// took 0.2 s each on a 1M store), one result row per flag in the order given.
    static func flagCounts(_ flags: [String]) -> String {
        let sums = flags.enumerated().map { index, flag in
            "COALESCE(SUM(instr(',' || flags || ',', ',\(flag),') > 0), 0) AS n\(index)"
        }
        let rows = flags.enumerated().map { index, flag in "SELECT '\(flag)', n\(index) FROM f" }
        return "WITH f AS MATERIALIZED (SELECT \(sums.joined(separator: ", ")) FROM normalized_rows WHERE flags != '') "
            + rows.joined(separator: " UNION ALL ")
    }

    func countries(_ db: Database) throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "countries", title: "Countries and number types")
        section.figures = [
            try breakdown(
                db, "countries.region", "Contacts by country",
                "SELECT COALESCE(region, 'unknown'), COUNT(*) FROM contacts GROUP BY 1 ORDER BY 2 DESC, 1"),
            try breakdown(
                db, "countries.number_type", "Contacts by number type",
                "SELECT COALESCE(number_type, 'viber_only'), COUNT(*) FROM contacts GROUP BY 1 ORDER BY 2 DESC, 1"),
            try breakdown(
                db, "countries.readings_to_review",
                "Rows whose reading an auditor should review: digits without + valid both ways, national readings in an "
                    + "international source, country cells naming no known country",
                Self.flagCounts(["ambiguous_international", "ambiguous_national", "national_fallback", "unknown_country"])),
            try breakdown(
                db, "countries.unknown_country_cells",
                "Country cells naming no known country (the default region was used), by value",
                """
                SELECT CASE WHEN r.country_raw GLOB '*[0-9]*' THEN '(holds digits: masked)' ELSE r.country_raw END, COUNT(*)
                FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
                WHERE ',' || n.flags || ',' LIKE '%,unknown_country,%' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20
                """),
        ]
        return section
    }

    func merges(_ db: Database, files: [Int64: String]) throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "merges", title: "Merges and conflicts")
        section.figures = [
            try count(
                db, "merges.contacts_merged", "Contacts made from more than one row",
                "SELECT COUNT(*) FROM contacts WHERE row_count > 1"),
            try count(
                db, "merges.rows_merged", "Rows merged into another row's contact",
                "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.merged.quoted)"),
            try breakdown(
                db, "merges.conflicts", "Conflicts flagged (same number, different people), by field",
                "SELECT kind, COUNT(*) FROM conflicts GROUP BY kind ORDER BY 2 DESC, 1"),
            try count(
                db, "merges.wa_id", "Contacts merged because WhatsApp gave them one wa_id",
                "SELECT COUNT(*) FROM wa_merges"),
        ]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT f.kind, f.row_ids, c.e164, c.viber_id FROM conflicts f JOIN contacts c ON c.id = f.contact_id
                ORDER BY f.id LIMIT ?
                """, arguments: [samplesPerGroup * 2])
        {
            let kind: String = row["kind"]
            let ids = (row["row_ids"] as String).split(separator: ",").compactMap { Int64($0) }
            var origins: [String] = []
            for id in ids {
                if let input = try Row.fetchOne(
                    db, sql: "SELECT source_id, record, line FROM input_rows WHERE id = ?", arguments: [id])
                {
                    origins.append(Self.pointer(files[input["source_id"]], record: input["record"], line: input["line"]))
                }
            }
            let who = (row["e164"] as String?).map(masker.number) ?? "viber:" + masker.viber(row["viber_id"] ?? "")
            section.samples.append(
                .init(group: kind, origin: origins.joined(separator: ", "), value: who, detail: "rows disagree on \(kind)"))
        }
        return section
    }

    /// The job as it stands: each stage's latest run, and the command that made it.
    func job(_ db: Database) throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "job", title: "The job: each stage's latest run")
        section.figures = [
            try breakdown(
                db, "job.stages", "Rows each stage's latest run produced (stage, run, finished)",
                """
                SELECT s.stage || ' (run #' || s.run_id || ', ' || s.finished_at || ')', s.rows_out FROM stage_runs s
                WHERE s.id IN (SELECT MAX(id) FROM stage_runs GROUP BY stage) ORDER BY s.id
                """),
            try count(db, "job.runs", "Commands run on this store", "SELECT COUNT(*) FROM runs"),
        ]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT s.stage, s.run_id, r.command, r.dry_run FROM stage_runs s JOIN runs r ON r.id = s.run_id
                WHERE s.id IN (SELECT MAX(id) FROM stage_runs GROUP BY stage) ORDER BY s.id
                """)
        {
            let dry = (row["dry_run"] as Bool?) == true ? " (dry run)" : ""
            // The command as typed, with the binary's name rather than its path.
            var words = (row["command"] as String).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if let first = words.first { words[0] = (first as NSString).lastPathComponent }
            let command = Terminal.printable(words.joined(separator: " "))
            section.notes.append("\(row["stage"] as String): run #\(row["run_id"] as Int64)\(dry): \(command)")
        }
        return section
    }

    /// The budget as the last verify applied it (flags and config merged), and any overrun.
    static let lastVerify = "(SELECT details_json FROM stage_runs WHERE stage = 'verify' ORDER BY id DESC LIMIT 1)"

    func verification(_ db: Database) throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "verification", title: "WhatsApp verification and the check budget")
        section.figures = [
            try breakdown(
                db, "verification.status", "Contacts with a number, by WhatsApp status",
                """
                SELECT COALESCE(r.status, 'unknown'), COUNT(*) FROM contacts c LEFT JOIN registrations r ON r.e164 = c.e164
                WHERE c.e164 IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            try breakdown(
                db, "verification.answers", "Answers by verifier and answer",
                """
                SELECT r.verifier || ': ' || r.answer, COUNT(*) FROM contacts c JOIN registrations r ON r.e164 = c.e164
                GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            try breakdown(
                db, "verification.batches", "Batches by state",
                "SELECT state, COUNT(*) FROM verify_batches GROUP BY state ORDER BY 2 DESC, 1"),
            try count(
                db, "verification.checks_used", "Contact checks used over the job's life",
                "SELECT COUNT(*) FROM verify_items i JOIN verify_batches b ON b.id = i.batch_id WHERE b.attempts > 0"),
            try count(
                db, "verification.budget", "Check budget the last verify applied (0: none)",
                "SELECT COALESCE(json_extract(\(Self.lastVerify), '$.budget'), 0)"),
            try count(
                db, "verification.over_budget", "Checks used beyond that budget (--allow-over-budget)",
                """
                SELECT CASE WHEN COALESCE(json_extract(\(Self.lastVerify), '$.budget'), 0) > 0
                  THEN MAX(0, COALESCE(json_extract(\(Self.lastVerify), '$.checksUsed'), 0)
                    - json_extract(\(Self.lastVerify), '$.budget')) ELSE 0 END
                """),
            try count(
                db, "verification.planned", "Numbers the last verify set out to check",
                """
                SELECT COALESCE(json_extract(details_json, '$.planned'), 0) FROM stage_runs WHERE stage = 'verify'
                ORDER BY id DESC LIMIT 1
                """),
        ]
        if let over = section.figures.first(where: { $0.id == "verification.over_budget" })?.value, over > 0 {
            let budget = section.figures.first { $0.id == "verification.budget" }?.value ?? 0
            section.notes.append(
                "OVER BUDGET: \(AuditReport.grouped(over)) checks beyond the budget of \(AuditReport.grouped(budget)) (verify ran with --allow-over-budget)."
            )
        }
        let verifyRun = try Bool.fetchOne(
            db,
            sql:
                "SELECT r.dry_run FROM stage_runs s JOIN runs r ON r.id = s.run_id WHERE s.stage = 'verify' ORDER BY s.id DESC LIMIT 1"
        )
        if verifyRun == true {
            section.notes.append(
                "Dry run: verify planned its checks against the budget but sent none; numbers without an earlier answer stay unchecked."
            )
        }
        return section
    }

    func consent(_ db: Database) throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "consent", title: "Consent by source")
        section.figures = [
            try breakdown(
                db, "consent.ledger", "Consent ledger events, by source and event",
                "SELECT source || ' ' || event, COUNT(*) FROM consent_events GROUP BY 1 ORDER BY 2 DESC, 1"),
            try breakdown(
                db, "consent.lists", "Listed contacts by list and consent state",
                """
                SELECT list || ' ' || COALESCE(consent, 'unknown'), COUNT(*) FROM import_lists WHERE contact_id IS NOT NULL
                GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            try breakdown(
                db, "consent.ready_evidence", "whatsapp_ready contacts by the source of their consent",
                """
                SELECT COALESCE(e.source, 'none'), COUNT(*) FROM import_lists l LEFT JOIN consent_events e ON e.id = l.consent_event
                WHERE l.list = \(ImportList.whatsappReady.quoted) GROUP BY 1 ORDER BY 2 DESC, 1
                """),
        ]
        return section
    }

    func scenarios(_ db: Database) throws -> AuditReport.Section? {
        let artifacts = try exists(db, "scenario_artifacts")
        let submissions = try exists(db, "template_submissions")
        guard artifacts || submissions else { return nil }
        var section = AuditReport.Section(id: "scenarios", title: "Scenario conversion and templates")
        if artifacts {
            section.figures += [
                try breakdown(
                    db, "scenarios.artifacts", "Legacy artifacts by outcome",
                    "SELECT kind || ' ' || status, COUNT(*) FROM scenario_artifacts GROUP BY 1 ORDER BY 2 DESC, 1"),
                try count(
                    db, "scenarios.lint_errors", "Lint errors (drafts to fix)",
                    "SELECT COALESCE(SUM(lint_errors), 0) FROM scenario_artifacts"),
                try count(
                    db, "scenarios.lint_warnings", "Lint warnings",
                    "SELECT COALESCE(SUM(lint_warnings), 0) FROM scenario_artifacts"),
                try count(
                    db, "scenarios.losses", "Things a conversion could not carry over",
                    "SELECT COALESCE(SUM(losses), 0) FROM scenario_artifacts"),
            ]
        }
        if submissions {
            section.figures += [
                try breakdown(
                    db, "scenarios.submissions", "Template submissions by state and answered status",
                    """
                    SELECT state || ' ' || COALESCE(status, '-'), COUNT(*) FROM template_submissions GROUP BY 1 ORDER BY 2 DESC, 1
                    """),
                try breakdown(
                    db, "scenarios.categories", "Submitted templates by category answered",
                    """
                    SELECT COALESCE(answered_category, category), COUNT(*) FROM template_submissions GROUP BY 1 ORDER BY 2 DESC, 1
                    """),
            ]
        }
        return section
    }

    func campaigns(_ db: Database) throws -> AuditReport.Section? {
        guard try exists(db, "campaign_messages") else { return nil }
        var section = AuditReport.Section(id: "campaigns", title: "Re-consent campaigns")
        section.figures = [
            try breakdown(
                db, "campaigns.messages", "Campaign messages by campaign, channel and state",
                """
                SELECT campaign || ' ' || channel || ' ' || state, COUNT(*) FROM campaign_messages GROUP BY 1 ORDER BY 1
                """),
            try breakdown(
                db, "campaigns.delivery", "Sent messages by delivery receipt",
                """
                SELECT COALESCE(delivery, 'no receipt'), COUNT(*) FROM campaign_messages WHERE state = \(MessageState.sent.quoted)
                GROUP BY 1 ORDER BY 2 DESC, 1
                """),
            try breakdown(
                db, "campaigns.replies", "Replies by class",
                "SELECT class, COUNT(*) FROM inbound_messages GROUP BY class ORDER BY 2 DESC, 1"),
        ]
        return section
    }

    /// The audience of a first template wave, by market: what the cost is computed from.
    func readyByMarket(_ db: Database) throws -> AuditReport.Figure {
        try breakdown(
            db, "cost.ready_by_market", "whatsapp_ready contacts by market",
            """
            SELECT COALESCE(c.region, 'unknown'), COUNT(*) FROM import_lists l JOIN contacts c ON c.id = l.contact_id
            WHERE l.list = \(ImportList.whatsappReady.quoted) GROUP BY 1 ORDER BY 2 DESC, 1
            """)
    }
}
