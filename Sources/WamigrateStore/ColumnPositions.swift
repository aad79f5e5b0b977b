import GRDB

/// The positions of the columns a statement's SELECT names, looked up once per statement, so
/// a loop over a million rows reads each column by its name at the cost of an index (GRDB's
/// `row["name"]` searches the names, lowercased, on every read).
struct ColumnPositions {
    private let names: [String]

    init(_ statement: Statement) { names = statement.columnNames }

    /// Where `name` stands in the SELECT; a name the SELECT lacks is a programming error.
    func callAsFunction(_ name: String) -> Int {
        guard let index = names.firstIndex(of: name) else { preconditionFailure("the SELECT names no column \(name)") }
        return index
    }
}

/// Where a tally's eleven aggregates stand (`ConsentTally.columnNames`, with a prefix).
struct TallyColumns {
    fileprivate let at: [Int]

    init(_ columns: ColumnPositions, prefix: String = "") {
        at = ConsentTally.columnNames.map { columns(prefix + $0) }
    }
}

/// The three tallies `JobStore.tallySelect` names (`t1_…`, `t2_…`, `t3_…`).
struct ContactTallyColumns {
    private let tallies: [TallyColumns]

    init(_ columns: ColumnPositions) { tallies = ["t1_", "t2_", "t3_"].map { TallyColumns(columns, prefix: $0) } }

    /// The person's tally: the three merged.
    func tally(_ row: Row) -> ConsentTally {
        ConsentTally(row: row, tallies[0]).merged(ConsentTally(row: row, tallies[1]))
            .merged(ConsentTally(row: row, tallies[2]))
    }
}

extension ConsentTally {
    /// Reads the aggregates where `columns` found them; a missing (NULL) group is an empty tally.
    init(row: Row, _ columns: TallyColumns) {
        self.init()
        let at = columns.at
        optOuts = row[at[0]] ?? 0
        undatedOptOut = (row[at[1]] as Int?) == 1
        lastOptOut = row[at[2]]
        optIns = row[at[3]] ?? 0
        lastOptIn = row[at[4]]
        countedOptIns = row[at[5]] ?? 0
        lastCountedOptIn = row[at[6]]
        marketingStops = row[at[7]] ?? 0
        undatedMarketingStop = (row[at[8]] as Int?) == 1
        lastMarketingStop = row[at[9]]
        lastMarketingResume = row[at[10]]
    }
}

extension Database {
    /// A cursor over the rows of `sql`, and where its columns stand.
    func positionedCursor(sql: String, arguments: StatementArguments = StatementArguments()) throws -> (
        RowCursor, ColumnPositions
    ) {
        let statement = try makeStatement(sql: sql)
        return (try Row.fetchCursor(statement, arguments: arguments), ColumnPositions(statement))
    }

    /// The same for an SQL literal (its values bound).
    func positionedCursor(literal: SQL) throws -> (RowCursor, ColumnPositions) {
        let statement = try makeStatement(literal: literal)
        return (try Row.fetchCursor(statement), ColumnPositions(statement))
    }
}
