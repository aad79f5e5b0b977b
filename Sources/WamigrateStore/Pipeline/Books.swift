import GRDB

/// The accounting invariant: every input row ends kept as a contact, merged into
/// one, rejected with a reason, or in review (two readings, both candidates kept for a
/// person to confirm), and in exactly one of those.
public struct Books: Codable, Sendable, Equatable {
    public var rowsIn: Int
    public var kept: Int
    public var merged: Int
    public var rejected: Int
    /// Rows whose number a person must confirm (`normalized_rows.outcome = 'review'`);
    /// nil in books written before the review outcome existed.
    public var review: Int?
    /// Rows normalized but not yet deduped (dedupe has not run since).
    public var pending: Int
    /// Rows in no outcome at all, or in more than one.
    public var unaccounted: Int
    public var balanced: Bool
    /// The first stage whose output does not account for its input, when unbalanced.
    public var losingStage: String?

    /// Nothing counted yet: the books before a run has read anything.
    public static let empty = Books(
        rowsIn: 0, kept: 0, merged: 0, rejected: 0, review: 0, pending: 0, unaccounted: 0, balanced: true,
        losingStage: nil)

    /// The queries behind each total, for the report.
    public static let queries = [
        "rows_in": "SELECT COUNT(*) FROM input_rows",
        "kept": "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.kept.quoted)",
        "merged": "SELECT COUNT(*) FROM contact_rows WHERE disposition = \(RowDisposition.merged.quoted)",
        "rejected": "SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.rejected.quoted)",
        "review": "SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.review.quoted)",
    ]

    /// Outcomes that end a row before dedupe: it becomes no contact.
    static let contactless = "(\(RowOutcome.rejected.quoted), \(RowOutcome.review.quoted))"

    public static func compute(_ db: Database) throws -> Books {
        func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
        let rowsIn = try count(queries["rows_in"]!)
        let normalized = try count("SELECT COUNT(*) FROM normalized_rows")
        let rejected = try count(queries["rejected"]!)
        let review = try count(queries["review"]!)
        let kept = try count(queries["kept"]!)
        let merged = try count(queries["merged"]!)
        let deduped = try count("SELECT COUNT(*) FROM stage_runs WHERE stage = \(Stage.dedupe.quoted)") > 0
        let normalizeRan = try count("SELECT COUNT(*) FROM stage_runs WHERE stage = \(Stage.normalize.quoted)") > 0
        // A row both rejected and in a contact, or a kept/viber row in no contact.
        let doubled = try count(
            """
            SELECT COUNT(*) FROM contact_rows c JOIN normalized_rows n ON n.row_id = c.row_id
            WHERE n.outcome IN \(contactless)
            """)
        let orphans =
            deduped
            ? try count(
                """
                SELECT COUNT(*) FROM normalized_rows n LEFT JOIN contact_rows c ON c.row_id = n.row_id
                WHERE n.outcome NOT IN \(contactless) AND c.row_id IS NULL
                """) : 0
        let strays = try count("SELECT COUNT(*) FROM contact_rows c LEFT JOIN input_rows r ON r.id = c.row_id WHERE r.id IS NULL")
        var losing: String?
        if normalizeRan && normalized != rowsIn {
            losing = "normalize"
        } else if deduped && (kept + merged + rejected + review != rowsIn || orphans > 0 || doubled > 0 || strays > 0) {
            losing = "dedupe"
        }
        let pending = deduped ? 0 : (normalizeRan ? normalized - rejected - review : rowsIn)
        // A lost row shows both in the totals and as an orphan: count it once.
        let unaccounted = max(abs(rowsIn - (kept + merged + rejected + review + pending)), orphans + doubled + strays)
        return Books(
            rowsIn: rowsIn, kept: kept, merged: merged, rejected: rejected, review: review, pending: pending,
            unaccounted: unaccounted, balanced: losing == nil && unaccounted == 0, losingStage: losing)
    }

    public var line: String {
        let state = balanced ? "balanced" : "NOT BALANCED (\(unaccounted) rows unaccounted; stage: \(losingStage ?? "?"))"
        let pendingText = pending > 0 ? " + pending \(pending)" : ""
        let reviewText = (review ?? 0) > 0 ? " + review \(review ?? 0)" : ""
        return
            "books: rows in \(rowsIn) = kept \(kept) + merged \(merged) + rejected \(rejected)\(reviewText)\(pendingText) → \(state)"
    }
}

extension JobStore {
    /// The books as the store holds them now.
    public func books() throws -> Books { try read { try Books.compute($0) } }
}
