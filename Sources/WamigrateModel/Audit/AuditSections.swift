import Foundation
import WamigrateBase

/// The report's sections of figures, the same on every engine: every figure is computed by
/// running the very query the report prints beside it, in the engine's own SQL (one text where
/// both engines read it alike, both side by side where not: `AuditSections+Dialect`), so an
/// auditor who runs that query with `sqlite3` or `psql` gets the same number. Core's
/// `ReportBuilder` adds the rules (cost, tiers) and renders them.
public struct AuditSections {
    let reader: any ReportQueryReader
    /// The extracted files' names by source id, for the samples' pointers.
    let files: [Int64: String]
    var masker: Masker
    var samplesPerGroup: Int
    var numbering: AuditRequest.Numbering
    var now: Int64

    var dialect: StoreEngineName { reader.dialect }

    public init(_ request: AuditRequest, reader: any ReportQueryReader, files: [Int64: String]) {
        self.reader = reader
        self.files = files
        masker = request.masker
        samplesPerGroup = request.samplesPerGroup
        numbering = request.numbering
        now = request.now
    }

    /// The figures of the store's last finished run (`lastRun`, nil when there is none): the
    /// books (counted by `books` now, and which must balance), then every section.
    public func figures(
        lastRun: (id: Int64, manifest: RunManifest)?, path: String, books: () throws -> Books
    ) throws -> AuditFigures {
        guard let (runID, manifest) = lastRun else {
            throw WamigrateError(
                .stageOrder, "the store has no finished run to report on",
                hint: "run `wamigrate run --store \(path) ... [--dry-run]` first", at: .init(file: path))
        }
        // The books are always counted now: they are the check that no stage lost a row,
        // and a store changed behind the tool's back must fail it.
        let books = try books()
        guard books.balanced else {
            throw WamigrateError(
                .booksUnbalanced,
                "the books do not balance, so the report is not rendered: stage \(books.losingStage ?? "?") lost rows. "
                    + books.line,
                hint: "re-run from the stage named (`wamigrate run --force`); keep the store if it persists and "
                    + "report it")
        }
        var figures = AuditFigures(
            runID: runID, manifest: manifest, books: books, booksQueries: Books.queries,
            sections: try sections(), readyByMarket: try readyByMarket())
        figures.queries = reader.queryUse
        return figures
    }

    /// Every section, in the report's order; a feature the job never used has none.
    public func sections() throws -> [AuditReport.Section] {
        var sections = [
            try job(), try funnel(), try rejections(), try numberingSection(), try countries(), try merges(),
            try verification(), try consent(),
        ]
        if let scenarios = try scenarios() { sections.append(scenarios) }
        if let campaigns = try campaigns() { sections.append(campaigns) }
        if let waves = try waves() { sections.append(waves) }
        if let rollout = try rollout() { sections.append(rollout) }
        return sections
    }

    // MARK: - Figures

    /// The one pointer format: `file:record` (what `trace` takes), the physical line beside it.
    static func pointer(_ file: String?, record: Int, line: Int) -> String {
        "\(file ?? "?"):\(record) (line \(line))"
    }

    func pointer(_ row: ReportRow) -> String {
        Self.pointer(files[Int64(row.int("source_id"))], record: row.int("record"), line: row.int("line"))
    }

    func count(_ id: String, _ label: String, _ sql: String) throws -> AuditReport.Figure {
        AuditReport.Figure(id: id, label: label, query: sql, value: try count(sql))
    }

    /// The first value of the first row (a count), 0 when there is none.
    func count(_ sql: String) throws -> Int {
        ReportRow.integer(try reader.figureRows(sql, []).first?[0])
    }

    func breakdown(_ id: String, _ label: String, _ sql: String) throws -> AuditReport.Figure {
        let rows = try reader.figureRows(sql, []).map { row in
            AuditReport.Figure.Row(key: row[0] ?? "null", value: ReportRow.integer(row[1]))
        }
        return AuditReport.Figure(id: id, label: label, query: sql, rows: rows)
    }

    /// Whether `table` holds a row (a feature the job used).
    func exists(_ table: String) throws -> Bool {
        try reader.hasTable(table) && count("SELECT COUNT(*) FROM \(table)") > 0
    }

    // MARK: - Sections

    /// The job as it stands: each stage's latest run, and the command that made it.
    func job() throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "job", title: "The job: each stage's latest run")
        section.figures = [
            try breakdown(
                "job.stages", "Rows each stage's latest run produced (stage, run, finished)",
                """
                SELECT s.stage || ' (run #' || s.run_id || ', ' || s.finished_at || ')', s.rows_out FROM stage_runs s
                WHERE s.id IN (SELECT MAX(id) FROM stage_runs GROUP BY stage) ORDER BY s.id
                """),
            try count("job.runs", "Commands run on this store", "SELECT COUNT(*) FROM runs"),
        ]
        for row in try reader.rows(
            """
            SELECT s.stage, s.run_id, r.command, r.dry_run FROM stage_runs s JOIN runs r ON r.id = s.run_id
            WHERE s.id IN (SELECT MAX(id) FROM stage_runs GROUP BY stage) ORDER BY s.id
            """, [])
        {
            let dry = row.int("dry_run") != 0 ? " (dry run)" : ""
            // The command as typed, with the binary's name rather than its path.
            var words = (row["command"] ?? "").split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            if let first = words.first { words[0] = (first as NSString).lastPathComponent }
            let command = Terminal.printable(words.joined(separator: " "))
            section.notes.append("\(row["stage"] ?? ""): run #\(row.int("run_id"))\(dry): \(command)")
        }
        return section
    }

    func funnel() throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "funnel", title: "Funnel: input rows to outcome lists")
        section.figures = [
            try count("funnel.rows_in", "Input rows", "SELECT COUNT(*) FROM input_rows"),
            try count(
                "funnel.kept", "Kept as a contact",
                "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.kept.quoted)"),
            try count(
                "funnel.merged", "Merged into a contact",
                "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.merged.quoted)"),
            try count(
                "funnel.rejected", "Rejected by normalize",
                "SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.rejected.quoted)"),
            try count(
                "funnel.review", "In review (a person must confirm the number)",
                "SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.review.quoted)"),
            try count("funnel.contacts", "Contacts", "SELECT COUNT(*) FROM contacts"),
            try count(
                "funnel.verified", "Verified (a WhatsApp answer)",
                """
                SELECT COUNT(*) FROM contacts c JOIN registrations r ON r.e164 = c.e164
                WHERE r.status != \(RegistrationStatus.unknown.quoted)
                """),
        ]
        for list in ImportList.allCases {
            section.figures.append(
                try count(
                    "funnel.list.\(list.rawValue)", "List \(list.rawValue)",
                    "SELECT COUNT(*) FROM import_lists WHERE list = '\(list.rawValue)'"))
        }
        section.notes.append("The rejected list holds the rows normalize rejected plus the contacts import rejected.")
        return section
    }

    func rejections() throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "rejections", title: "Rejections by reason")
        let byReason = try breakdown(
            "rejections.normalize", "Input rows rejected by normalize, by reason",
            """
            SELECT reason\(byteOrder), COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.rejected.quoted)
            GROUP BY reason ORDER BY 2 DESC, 1\(nullsFirst)
            """)
        section.figures.append(byReason)
        section.figures.append(
            try breakdown(
                "rejections.import", "Contacts import rejected, by reason",
                """
                SELECT reason\(byteOrder), COUNT(*) FROM import_lists
                WHERE list = \(ImportList.rejected.quoted) AND contact_id IS NOT NULL
                GROUP BY reason ORDER BY 2 DESC, 1\(nullsFirst)
                """))
        for reason in byReason.rows ?? [] {
            for row in try reader.figureRows(
                """
                SELECT r.source_id, r.record, r.phone_raw, r.line FROM normalized_rows n
                JOIN input_rows r ON r.id = n.row_id
                WHERE n.outcome = \(RowOutcome.rejected.quoted) AND n.reason = \(parameter(1))
                ORDER BY r.id LIMIT \(samplesPerGroup)
                """, [reason.key])
            {
                section.samples.append(
                    .init(group: reason.key, origin: pointer(row), value: masker.raw(row["phone_raw"] ?? "")))
            }
        }
        return section
    }

    func countries() throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "countries", title: "Countries and number types")
        section.figures = [
            try breakdown(
                "countries.region", "Contacts by country",
                "SELECT COALESCE(region, 'unknown')\(byteOrder), COUNT(*) FROM contacts GROUP BY 1 ORDER BY 2 DESC, 1"),
            try breakdown(
                "countries.number_type", "Contacts by number type",
                """
                SELECT COALESCE(number_type, 'viber_only')\(byteOrder), COUNT(*) FROM contacts GROUP BY 1
                ORDER BY 2 DESC, 1
                """),
            try breakdown(
                "countries.readings_to_review",
                "Rows whose reading an auditor should review: digits without + valid both ways, national readings "
                    + "in an international source, country cells naming no known country",
                flagCounts(["ambiguous_international", "ambiguous_national", "national_fallback", "unknown_country"])),
            try breakdown(
                "countries.unknown_country_cells",
                "Country cells naming no known country (the default region was used), by value",
                """
                SELECT CASE WHEN \(holdsDigits("r.country_raw")) THEN '(holds digits: masked)' ELSE r.country_raw END\
                \(byteOrder), COUNT(*)
                FROM normalized_rows n JOIN input_rows r ON r.id = n.row_id
                WHERE ',' || n.flags || ',' LIKE '%,unknown_country,%'
                GROUP BY 1 ORDER BY 2 DESC, 1\(nullsFirst) LIMIT 20
                """),
        ]
        return section
    }

    func merges() throws -> AuditReport.Section {
        var section = AuditReport.Section(id: "merges", title: "Merges and conflicts")
        section.figures = [
            try count(
                "merges.contacts_merged", "Contacts made from more than one row",
                "SELECT COUNT(*) FROM contacts WHERE row_count > 1"),
            try count(
                "merges.rows_merged", "Rows merged into another row's contact",
                "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.merged.quoted)"),
            try breakdown(
                "merges.conflicts", "Conflicts flagged (same number, different people), by field",
                "SELECT kind\(byteOrder), COUNT(*) FROM conflicts GROUP BY kind ORDER BY 2 DESC, 1"),
            try count(
                "merges.wa_id", "Contacts merged because WhatsApp gave them one wa_id",
                "SELECT COUNT(*) FROM wa_merges"),
        ]
        for row in try reader.rows(
            """
            SELECT f.kind, f.row_ids, c.e164, c.viber_id FROM conflicts f JOIN contacts c ON c.id = f.contact_id
            ORDER BY f.id LIMIT \(samplesPerGroup * 2)
            """, [])
        {
            let kind = row["kind"] ?? ""
            let ids = (row["row_ids"] ?? "").split(separator: ",").compactMap { Int64($0) }
            var origins: [String] = []
            for id in ids {
                let sql = "SELECT source_id, record, line FROM input_rows WHERE id = \(id)"
                if let input = try reader.rows(sql, []).first { origins.append(pointer(input)) }
            }
            let who = row["e164"].map(masker.number) ?? "viber:" + masker.viber(row["viber_id"] ?? "")
            section.samples.append(
                .init(
                    group: kind, origin: origins.joined(separator: ", "), value: who,
                    detail: "rows disagree on \(kind)"))
        }
        return section
    }
}
