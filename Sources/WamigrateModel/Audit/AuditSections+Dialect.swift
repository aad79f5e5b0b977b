import Foundation

/// Where the report's SQL differs between engines, both texts side by side; every other query
/// of `AuditSections` is one text for both. SQLite orders text byte by byte and NULL first,
/// sums booleans, and reads JSON with `json_extract`; PostgreSQL is told `COLLATE "C"` and
/// `NULLS FIRST`, counts with `FILTER` and reads JSON with `->>`, so both give the same figures
/// in the same order, each in SQL its own shell runs as shown.
extension AuditSections {
    /// Appended to a text key to order it byte by byte (a key keeps it through `||`).
    var byteOrder: String {
        switch dialect {
        case .sqlite: ""
        case .postgres: " COLLATE \"C\""
        }
    }

    /// Appended to an ascending key that may be NULL: NULL first, where SQLite sorts it.
    var nullsFirst: String {
        switch dialect {
        case .sqlite: ""
        case .postgres: " NULLS FIRST"
        }
    }

    /// The placeholder of a statement's `index`th parameter (1-based).
    func parameter(_ index: Int) -> String {
        switch dialect {
        case .sqlite: "?"
        case .postgres: "$\(index)"
        }
    }

    /// How many rows (of a scan of `normalized_rows`) carry `flag` in their comma-separated flags.
    func rowsFlagged(_ flag: String) -> String {
        switch dialect {
        case .sqlite: "COALESCE(SUM(instr(',' || flags || ',', ',\(flag),') > 0), 0)"
        case .postgres: "COUNT(*) FILTER (WHERE strpos(',' || flags || ',', ',\(flag),') > 0)"
        }
    }

    /// The member at `path` of the JSON text `json`, as an integer (NULL when absent).
    func jsonInteger(_ json: String, _ path: String...) -> String {
        switch dialect {
        case .sqlite:
            return "json_extract(\(json), '$.\(path.joined(separator: "."))')"
        case .postgres:
            let members = path.dropLast().map { " -> '\($0)'" }.joined() + " ->> '\(path.last ?? "")'"
            return "(\(json)::jsonb\(members))::bigint"
        }
    }

    /// True where the JSON text `json` has a non-null `member`.
    func jsonHas(_ json: String, _ member: String) -> String {
        switch dialect {
        case .sqlite: "json_extract(\(json), '$.\(member)') IS NOT NULL"
        case .postgres: "\(json)::jsonb ->> '\(member)' IS NOT NULL"
        }
    }

    /// The larger of two integers.
    func greatest(_ first: String, _ second: String) -> String {
        switch dialect {
        case .sqlite: "MAX(\(first), \(second))"
        case .postgres: "GREATEST(\(first), \(second))"
        }
    }

    /// True where the text `text` holds a digit.
    func holdsDigits(_ text: String) -> String {
        switch dialect {
        case .sqlite: "\(text) GLOB '*[0-9]*'"
        case .postgres: "\(text) ~ '[0-9]'"
        }
    }

    /// Unix seconds as ISO 8601 UTC text (`2026-11-23T11:00:00Z`).
    func utcTime(_ seconds: String) -> String {
        switch dialect {
        case .sqlite: "strftime('%Y-%m-%dT%H:%M:%SZ', \(seconds), 'unixepoch')"
        case .postgres: "to_char(to_timestamp(\(seconds)) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        }
    }
}
