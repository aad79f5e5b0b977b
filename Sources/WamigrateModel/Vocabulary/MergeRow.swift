import WamigrateBase

/// One input row as dedupe sees it.
public struct MergeRow {
    /// The input row's columns it is read from, by name (`r`: `input_rows`; its id as `row_id`).
    public static let columns = """
        r.id AS row_id, r.source_id, r.record, r.name, r.email, r.consent, r.consent_at, r.seen_at, r.viber_id, r.tags,
        r.language
        """

    public var id: Int64
    public var sourceID: Int64
    public var record: Int64
    public var name: String?
    public var email: String?
    public var consent: ConsentState
    public var consentAt: Int64?
    public var seenAt: Int64?
    public var viberID: String?
    public var tags: String?
    public var language: String?

    public init(
        id: Int64, sourceID: Int64, record: Int64, name: String?, email: String?, consent: ConsentState,
        consentAt: Int64?, seenAt: Int64?, viberID: String?, tags: String?, language: String?
    ) {
        self.id = id
        self.sourceID = sourceID
        self.record = record
        self.name = name
        self.email = email
        self.consent = consent
        self.consentAt = consentAt
        self.seenAt = seenAt
        self.viberID = viberID
        self.tags = tags
        self.language = language
    }

    /// When the row was last true: its activity date, else its consent date.
    public var recency: Int64? { seenAt ?? consentAt }
}

/// A field's surviving value and the row it came from.
public struct Picked<T> {
    public var value: T
    public var row: Int64

    public init(value: T, row: Int64) {
        self.value = value
        self.row = row
    }
}

/// The merged contact before it gets an id.
public struct MergedContact {
    public var name: Picked<String>?
    public var email: Picked<String>?
    public var language: Picked<String>?
    public var viberID: Picked<String>?
    public var consent: ConsentState
    public var consentAt: Int64?
    public var consentRow: Int64?
    public var consentRule: String?
    public var sourceIDs: [Int64]
    public var tags: [String]
    public var conflicts: [String]

    public init(
        name: Picked<String>?, email: Picked<String>?, language: Picked<String>?, viberID: Picked<String>?,
        consent: ConsentState, consentAt: Int64?, consentRow: Int64?, consentRule: String?, sourceIDs: [Int64],
        tags: [String], conflicts: [String]
    ) {
        self.name = name
        self.email = email
        self.language = language
        self.viberID = viberID
        self.consent = consent
        self.consentAt = consentAt
        self.consentRow = consentRow
        self.consentRule = consentRule
        self.sourceIDs = sourceIDs
        self.tags = tags
        self.conflicts = conflicts
    }
}
