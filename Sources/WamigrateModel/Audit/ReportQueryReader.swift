import Foundation

/// An engine's side of the auditor's report: runs the report's queries (`AuditSections`), all
/// inside one read snapshot, and gives their rows as text, as a SQL shell prints them.
public protocol ReportQueryReader {
    /// Which SQL the report's queries are written in.
    var dialect: StoreEngineName { get }
    /// The rows a figure's (or a sample's) query gives now: a kept result while the tables it
    /// reads are unchanged, where the engine keeps results, else the query's.
    func figureRows(_ sql: String, _ arguments: [String]) throws -> [ReportRow]
    /// Rows read for the notes and samples beside the figures, never kept.
    func rows(_ sql: String, _ arguments: [String]) throws -> [ReportRow]
    /// Whether the store has `table` (a table of a feature the engine does not hold yet).
    func hasTable(_ table: String) throws -> Bool
    /// The engine's query of a wave's rollout cells (`RolloutStore.rolloutCells`) with the
    /// wave and the cutoff written in, so an auditor's rerun counts the same messages.
    func rolloutCellsQuery(wave: String, cutoff: Int64) -> String
    /// The engine's query of a wave's holdout on the legacy channel, the wave written in.
    func holdoutLegacyQuery(wave: String) -> String
    /// How many figure queries were asked, and how many answered by kept results.
    var queryUse: AuditReport.QueryUse { get }
}

/// One row of a report query, each value as text (nil: NULL), found by position or column name.
public struct ReportRow {
    public var columns: [String]
    public var values: [String?]

    public init(columns: [String], values: [String?]) {
        self.columns = columns
        self.values = values
    }

    public subscript(_ index: Int) -> String? { index < values.count ? values[index] : nil }

    public subscript(_ name: String) -> String? { columns.firstIndex(of: name).flatMap { self[$0] } }

    /// The value of `name` as an integer (0 when NULL or not a number).
    public func int(_ name: String) -> Int { Self.integer(self[name]) }

    /// An integer as SQLite reads a stored value: digits (a real's whole part), else 0.
    public static func integer(_ text: String?) -> Int {
        guard let text = text?.trimmingCharacters(in: .whitespaces) else { return 0 }
        return Int(text) ?? Double(text).flatMap { $0.isFinite ? Int(exactly: $0.rounded(.towardZero)) : nil } ?? 0
    }
}
