import Foundation
import WamigrateBase

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

            public init(key: String, value: Int) {
                self.key = key
                self.value = value
            }
        }

        public init(id: String, label: String, query: String, value: Int? = nil, rows: [Row]? = nil) {
            self.id = id
            self.label = label
            self.query = query
            self.value = value
            self.rows = rows
        }
    }

    /// An example behind a figure, masked unless the report is unmasked.
    public struct Sample: Codable, Sendable {
        public var group: String
        public var origin: String
        public var value: String
        public var detail: String?

        public init(group: String, origin: String, value: String, detail: String? = nil) {
            self.group = group
            self.origin = origin
            self.value = value
            self.detail = detail
        }
    }

    public struct Section: Codable, Sendable {
        public var id: String
        public var title: String
        public var figures: [Figure] = []
        public var samples: [Sample] = []
        public var notes: [String] = []

        public init(id: String, title: String, figures: [Figure] = [], samples: [Sample] = [], notes: [String] = []) {
            self.id = id
            self.title = title
            self.figures = figures
            self.samples = samples
            self.notes = notes
        }
    }

    public struct CostLine: Codable, Sendable {
        public var market: String
        public var contacts: Int
        /// Rate and cost per category; nil when the table has no rate for the market.
        public var rates: [String: Double]?
        public var costs: [String: Double]?

        public init(market: String, contacts: Int, rates: [String: Double]? = nil, costs: [String: Double]? = nil) {
            self.market = market
            self.contacts = contacts
            self.rates = rates
            self.costs = costs
        }
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

        public init(
            pricesFile: String, asOf: String, source: String, currency: String, audienceFigure: String, lines: [CostLine],
            totals: [String: Double], unpricedContacts: Int
        ) {
            self.pricesFile = pricesFile
            self.asOf = asOf
            self.source = source
            self.currency = currency
            self.audienceFigure = audienceFigure
            self.lines = lines
            self.totals = totals
            self.unpricedContacts = unpricedContacts
        }
    }

    public struct TierWave: Codable, Sendable {
        public var tier: Int
        public var days: Int

        public init(tier: Int, days: Int) {
            self.tier = tier
            self.days = days
        }
    }

    public struct Run: Codable, Sendable {
        public var id: Int64
        public var command: String
        public var dryRun: Bool
        public var status: String
        public var startedAt: String
        public var finishedAt: String?

        public init(id: Int64, command: String, dryRun: Bool, status: String, startedAt: String, finishedAt: String? = nil) {
            self.id = id
            self.command = command
            self.dryRun = dryRun
            self.status = status
            self.startedAt = startedAt
            self.finishedAt = finishedAt
        }
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
    /// How many of the report's queries were answered by results the run kept at its end
    /// (every table each reads unchanged since), of how many it asked.
    public var queries = QueryUse()

    public struct QueryUse: Codable, Equatable, Sendable {
        public var asked = 0
        public var fromKeptResults = 0

        public init(asked: Int = 0, fromKeptResults: Int = 0) {
            self.asked = asked
            self.fromKeptResults = fromKeptResults
        }
    }

    /// 1409010 → "1,409,010".
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    public func section(_ id: String) -> Section? { sections.first { $0.id == id } }

    /// Every figure in the report, in order.
    public var figures: [Figure] { sections.flatMap(\.figures) }

    public init(
        generatedAt: String, store: String, masking: String, run: Run, books: Books, booksQueries: [String: String],
        sections: [Section], cost: Cost, tierWaves: [TierWave], manifest: RunManifest
    ) {
        self.generatedAt = generatedAt
        self.store = store
        self.masking = masking
        self.run = run
        self.books = books
        self.booksQueries = booksQueries
        self.sections = sections
        self.cost = cost
        self.tierWaves = tierWaves
        self.manifest = manifest
    }
}
