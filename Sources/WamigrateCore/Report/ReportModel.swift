import Foundation
import WamigrateBase
import WamigrateStore

/// The auditor's report: every figure carries the SQL that recomputes it from
/// the store. report.json is this value; report.md and report.html render it.
public struct AuditReport: Codable, Sendable {
    /// One number, or one breakdown (rows of key and count), and its query.
    public struct Figure: Codable, Sendable {
        public var id: String
        public var label: String
        /// The query, run against the store as is, gives `value` (one row, one
        /// column) or `rows` (key, count per row, in this order).
        public var query: String
        public var value: Int?
        public var rows: [Row]?

        public struct Row: Codable, Sendable, Equatable {
            public var key: String
            public var value: Int
        }
    }

    /// An example behind a figure, masked unless the report is unmasked.
    public struct Sample: Codable, Sendable {
        public var group: String
        public var origin: String
        public var value: String
        public var detail: String?
    }

    public struct Section: Codable, Sendable {
        public var id: String
        public var title: String
        public var figures: [Figure] = []
        public var samples: [Sample] = []
        public var notes: [String] = []
    }

    public struct CostLine: Codable, Sendable {
        public var market: String
        public var contacts: Int
        /// Rate and cost per category; nil when the table has no rate for the market.
        public var rates: [String: Double]?
        public var costs: [String: Double]?
    }

    public struct Cost: Codable, Sendable {
        public var pricesFile: String
        public var asOf: String
        public var source: String
        public var currency: String
        /// The first template wave: one template to every whatsapp_ready contact.
        public var audienceFigure: String
        public var lines: [CostLine]
        public var totals: [String: Double]
        public var unpricedContacts: Int
    }

    public struct TierWave: Codable, Sendable {
        public var tier: Int
        public var days: Int
    }

    public struct Run: Codable, Sendable {
        public var id: Int64
        public var command: String
        public var dryRun: Bool
        public var status: String
        public var startedAt: String
        public var finishedAt: String?
    }

    public var format = "wamigrate-report/1"
    public var generatedAt: String
    public var store: String
    public var masking: String
    public var run: Run
    public var books: Books
    public var booksQueries: [String: String]
    public var sections: [Section]
    public var cost: Cost
    public var tierWaves: [TierWave]
    public var manifest: RunManifest

    public func section(_ id: String) -> Section? { sections.first { $0.id == id } }

    /// Every figure in the report, in order.
    public var figures: [Figure] { sections.flatMap(\.figures) }
}
