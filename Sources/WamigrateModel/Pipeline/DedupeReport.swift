/// What dedupe did. Goes into stage_runs and the summary.
public struct DedupeReport: Codable, Sendable {
    public var rowsIn = 0
    public var contacts = 0
    public var viberOnlyContacts = 0
    public var kept = 0
    public var merged = 0
    public var mergedViaViberID = 0
    public var conflicts: [String: Int] = [:]
    public var consent: [String: Int] = [:]
    /// Explicit consent cells of the exports newly recorded in the consent ledger
    /// (nil in reports of stores made before dedupe recorded them).
    public var consentEventsAdded: Int?
    /// Contacts whose consent the ledger's other events changed (campaign replies,
    /// unsubscribes, earlier exports).
    public var consentFromLedger: Int?

    public init() {}
}

extension DedupeReport {
    /// Adds what a part of dedupe (one partition of a shared dedupe) did.
    public mutating func add(_ part: DedupeReport) {
        rowsIn += part.rowsIn
        contacts += part.contacts
        viberOnlyContacts += part.viberOnlyContacts
        kept += part.kept
        merged += part.merged
        mergedViaViberID += part.mergedViaViberID
        conflicts.merge(part.conflicts, uniquingKeysWith: +)
        consent.merge(part.consent, uniquingKeysWith: +)
    }
}
