import Foundation
import WamigrateBase

/// The auditor's figures: each computed by the query shown beside it, in the engine's own SQL.
public protocol AuditStore: AnyObject {
    var path: String { get }
    func auditFigures(_ request: AuditRequest) throws -> AuditFigures
}

/// What the report asks of the store: how to mask samples, how many, and the words of
/// the numbering section (the flags and hints belong to the phone module).
public struct AuditRequest {
    public struct Numbering {
        /// The numbering plans the tool ships.
        public var metadataVersion: String
        /// Flags of the legacy forms current plans withdrew (one line per rule).
        public var legacyFlags: [String]
        /// Flags of the evidence a reading rests on (national writing, scientific zeros).
        public var evidenceFlags: [String]
        /// How to resolve a row in review, by its reason.
        public var reviewHint: (String) -> String?

        public init(
            metadataVersion: String, legacyFlags: [String], evidenceFlags: [String],
            reviewHint: @escaping (String) -> String?
        ) {
            self.metadataVersion = metadataVersion
            self.legacyFlags = legacyFlags
            self.evidenceFlags = evidenceFlags
            self.reviewHint = reviewHint
        }
    }

    public var masker: Masker
    /// Samples shown per group (rejection reason, conflict kind).
    public var samplesPerGroup: Int
    public var numbering: Numbering
    /// Reuse the results the run kept while the tables each query reads are unchanged
    /// (false: every query runs now).
    public var keptResults = true
    /// The report's clock (Unix seconds): a rollout's messages count as measured when sent at
    /// least the wave's wait before it, the cutoff its queries print.
    public var now: Int64

    public init(masker: Masker, samplesPerGroup: Int, numbering: Numbering, now: Int64) {
        self.masker = masker
        self.samplesPerGroup = samplesPerGroup
        self.numbering = numbering
        self.now = now
    }
}

/// The store's part of the report: the run it covers, the books, and the sections of figures.
public struct AuditFigures {
    public var runID: Int64
    public var manifest: RunManifest
    public var books: Books
    public var booksQueries: [String: String]
    public var sections: [AuditReport.Section]
    /// whatsapp_ready contacts by market: the audience a first wave's cost is computed from.
    public var readyByMarket: AuditReport.Figure
    /// How many queries were asked, and how many answered by kept results.
    public var queries = AuditReport.QueryUse()

    public init(
        runID: Int64, manifest: RunManifest, books: Books, booksQueries: [String: String],
        sections: [AuditReport.Section], readyByMarket: AuditReport.Figure
    ) {
        self.runID = runID
        self.manifest = manifest
        self.books = books
        self.booksQueries = booksQueries
        self.sections = sections
        self.readyByMarket = readyByMarket
    }
}
