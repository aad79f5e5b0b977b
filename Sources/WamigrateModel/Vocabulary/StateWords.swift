// The words the store keeps in its state columns, as enums. Each engine binds them as
// values, so a misspelt state is a compile error instead of a query that silently
// matches nothing. The report's shown queries keep their words literal: an auditor
// reads them as SQL.

/// `normalized_rows.outcome`.
public enum RowOutcome: String, Codable, Sendable, CaseIterable {
    case ok
    case rejected
    case viberOnly = "viber_only"
    /// Two valid readings and conflicting evidence: both candidates kept, no contact made.
    case review
}

/// `contact_rows.disposition`: the first row of a contact is kept, the others merged into it.
public enum RowDisposition: String, Codable, Sendable, CaseIterable {
    case kept, merged
}

/// `runs.status`.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    case running, ok, failed
}

/// `verify_batches.state`: pending → sent → done, or failed (retried on the next run).
public enum VerifyBatchState: String, Codable, Sendable, CaseIterable {
    case pending, sent, done, failed
}

/// `campaign_messages.state` and `wave_messages.state`, in the order `campaign status` shows them.
public enum MessageState: String, Codable, Sendable, CaseIterable {
    case planned, sending, sent, failed, suppressed
    case inDoubt = "in_doubt"
    case excluded
}

extension RawRepresentable where RawValue == String {
    /// The word as an SQL string literal, for queries shown to people (the report's,
    /// the books') and fragments composed into text; state words hold no quotes.
    public var quoted: String { "'\(rawValue)'" }
}
