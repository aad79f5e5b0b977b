import WamigrateBase

/// What import did.
public struct ImportReport: Codable, Sendable {
    public var contacts = 0
    public var rejectedRows = 0
    /// Input rows whose number a person must confirm (the `review` list).
    public var reviewRows = 0
    public var lists: [String: Int] = [:]
    public var channels: [String: Int] = [:]
    public var files: [String] = []
    /// The consent sources the job counts for WhatsApp.
    public var whatsappConsentSources: [String] = []

    public init() {}
}

extension ImportReport {
    /// Import's balance, on every engine: every contact in exactly one list, every rejected row
    /// in `rejected`, every review row in `review`, from the engine's `count` of each query.
    public func checkBalance(_ count: (String) throws -> Int) throws {
        let contacts = try count("SELECT COUNT(*) FROM contacts")
        let listed = try count("SELECT COUNT(DISTINCT contact_id) FROM import_lists")
        let rejected = try count("SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.rejected.quoted)")
        let review = try count("SELECT COUNT(*) FROM normalized_rows WHERE outcome = \(RowOutcome.review.quoted)")
        guard contacts == listed, listed == self.contacts, rejected == rejectedRows, review == reviewRows else {
            throw WamigrateError(
                .booksUnbalanced,
                "import listed \(self.contacts) contacts, \(rejectedRows) rejected and \(reviewRows) review rows; the store has \(contacts), \(rejected) and \(review)",
                hint: "a stage lost or doubled contacts; this is a bug: keep the store and report it")
        }
    }
}
