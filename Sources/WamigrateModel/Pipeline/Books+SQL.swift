/// The queries behind the books, the same text on every engine (the report shows `queries`).
extension Books {
    /// The queries behind each total, for the report.
    public static let queries = [
        "rows_in": "SELECT COUNT(*) FROM input_rows",
        "kept": "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.kept.quoted)",
        "merged": "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.merged.quoted)",
        "rejected": "SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.rejected.quoted)",
        "review": "SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.review.quoted)",
    ]

    /// Outcomes that end a row before dedupe: it becomes no contact.
    public static let contactless = "(\(RowOutcome.rejected.quoted), \(RowOutcome.review.quoted))"

    /// The books from the engine's `count` of each query, and its count of rows in a contact
    /// although normalize ended them (`doubled`) and of rows normalize passed that are in no
    /// contact (`orphans`, asked only once dedupe ran).
    public static func counted(
        _ count: (String) throws -> Int, doubledAndOrphans: () throws -> (doubled: Int, orphans: Int)
    ) rethrows -> Books {
        var c = Counts()
        c.rowsIn = try count(queries["rows_in"]!)
        c.normalized = try count("SELECT COUNT(*) FROM normalized_rows")
        c.rejected = try count(queries["rejected"]!)
        c.review = try count(queries["review"]!)
        c.kept = try count(queries["kept"]!)
        c.merged = try count(queries["merged"]!)
        c.deduped = try count("SELECT COUNT(*) FROM stage_runs WHERE stage = \(Stage.dedupe.quoted)") > 0
        c.normalizeRan = try count("SELECT COUNT(*) FROM stage_runs WHERE stage = \(Stage.normalize.quoted)") > 0
        (c.doubled, c.orphans) = try doubledAndOrphans()
        if !c.deduped { c.orphans = 0 }
        c.strays = try count(
            "SELECT COUNT(*) FROM contact_rows c LEFT JOIN input_rows r ON r.id = c.row_id WHERE r.id IS NULL")
        return Books(counts: c)
    }
}
