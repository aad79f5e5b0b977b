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

    /// Counts as the store holds them; the rule that balances them is `init(counts:)`.
    public struct Counts: Sendable, Equatable {
        public var rowsIn = 0
        public var normalized = 0
        public var rejected = 0
        public var review = 0
        public var kept = 0
        public var merged = 0
        public var deduped = false
        public var normalizeRan = false
        /// Rows both in a contact and rejected or in review.
        public var doubled = 0
        /// Rows that should be in a contact and are in none (counted once dedupe ran).
        public var orphans = 0
        /// Contact rows whose input row is gone.
        public var strays = 0

        public init() {}
    }

    /// The accounting rule: which stage lost rows, what is pending, what is unaccounted.
    public init(counts c: Counts) {
        var losing: String?
        if c.normalizeRan && c.normalized != c.rowsIn {
            losing = "normalize"
        } else if c.deduped
            && (c.kept + c.merged + c.rejected + c.review != c.rowsIn || c.orphans > 0 || c.doubled > 0 || c.strays > 0)
        {
            losing = "dedupe"
        }
        let pending = c.deduped ? 0 : (c.normalizeRan ? c.normalized - c.rejected - c.review : c.rowsIn)
        // A lost row shows both in the totals and as an orphan: count it once.
        let unaccounted = max(
            abs(c.rowsIn - (c.kept + c.merged + c.rejected + c.review + pending)), c.orphans + c.doubled + c.strays)
        self.init(
            rowsIn: c.rowsIn, kept: c.kept, merged: c.merged, rejected: c.rejected, review: c.review, pending: pending,
            unaccounted: unaccounted, balanced: losing == nil && unaccounted == 0, losingStage: losing)
    }

    public init(
        rowsIn: Int, kept: Int, merged: Int, rejected: Int, review: Int?, pending: Int, unaccounted: Int, balanced: Bool,
        losingStage: String?
    ) {
        self.rowsIn = rowsIn
        self.kept = kept
        self.merged = merged
        self.rejected = rejected
        self.review = review
        self.pending = pending
        self.unaccounted = unaccounted
        self.balanced = balanced
        self.losingStage = losingStage
    }

    public var line: String {
        let state = balanced ? "balanced" : "NOT BALANCED (\(unaccounted) rows unaccounted; stage: \(losingStage ?? "?"))"
        let pendingText = pending > 0 ? " + pending \(pending)" : ""
        let reviewText = (review ?? 0) > 0 ? " + review \(review ?? 0)" : ""
        return
            "books: rows in \(rowsIn) = kept \(kept) + merged \(merged) + rejected \(rejected)\(reviewText)\(pendingText) → \(state)"
    }
}
