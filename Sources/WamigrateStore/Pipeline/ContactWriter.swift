import GRDB
import WamigrateBase

/// The one writer of a contact's merged fields, its `contact_rows` and its
/// conflicts: dedupe inserts each contact through it, and `wa_id` reconciliation
/// rewrites a survivor through it after absorbing another contact's rows. Both
/// hand it fields picked by the same survivorship rules (Core's `Survivorship`)
/// and it writes lineage the same way for both. Lives inside the caller's
/// transaction (its statements are prepared on `db`).
public struct ContactWriter {
    private let names: [Int64: String]
    private let lineage: Lineage
    private let insertContact: Statement
    private let updateContact: Statement
    private let insertRow: Statement
    private let insertConflict: Statement

    /// Each source's priority, for survivorship.
    public let priorities: [Int64: Int]

    init(_ db: Database) throws {
        let sources = try Row.fetchAll(db, sql: "SELECT id, name, priority FROM sources")
        priorities = Dictionary(uniqueKeysWithValues: sources.map { ($0["id"] as Int64, $0["priority"] as Int) })
        names = Dictionary(uniqueKeysWithValues: sources.map { ($0["id"] as Int64, $0["name"] as String) })
        lineage = try Lineage(db)
        insertContact = try db.makeBulkStatement(
            sql: """
                INSERT INTO contacts (viber_id, name, name_row, email, email_row, consent, consent_at, consent_row,
                  consent_rule, language, sources, tags, row_count, first_row, source_rows, conflict,
                  id, e164, region, number_type)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        updateContact = try db.makeBulkStatement(
            sql: """
                UPDATE contacts SET viber_id = ?, name = ?, name_row = ?, email = ?, email_row = ?, consent = ?,
                  consent_at = ?, consent_row = ?, consent_rule = ?, language = ?, sources = ?, tags = ?, row_count = ?,
                  first_row = ?, source_rows = ?, conflict = ? WHERE id = ?
                """)
        insertRow = try db.makeBulkStatement(
            sql: "INSERT INTO contact_rows (row_id, contact_id, disposition) VALUES (?, ?, ?)")
        insertConflict = try db.makeStatement(sql: "INSERT INTO conflicts (contact_id, kind, row_ids) VALUES (?, ?, ?)")
    }

    /// A new contact from its rows (in row order; the first is `kept`, the others
    /// `merged`) and the fields survivorship picked from them.
    public func insert(
        id: String, e164: String?, region: String?, numberType: String?, rows: [MergeRow], contact: MergedContact
    ) throws {
        var bulk = BulkStatement(insertContact)
        bindFields(contact, rows: rows, into: &bulk)
        bulk.bind(id)
        bulk.bind(e164)
        bulk.bind(region)
        bulk.bind(numberType)
        try bulk.step()
        for (index, row) in rows.enumerated() {
            var rowInsert = BulkStatement(insertRow)
            rowInsert.bind(row.id)
            rowInsert.bind(id)
            rowInsert.bind((index == 0 ? RowDisposition.kept : .merged).rawValue)
            try rowInsert.step()
        }
        try insertConflicts(contact, id: id, rows: rows)
    }

    /// Every row now linked to a contact, in row order.
    func rows(ofContact id: String, in db: Database) throws -> [MergeRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT \(MergeRow.columns)
                FROM contact_rows cr JOIN input_rows r ON r.id = cr.row_id
                WHERE cr.contact_id = ? ORDER BY r.id
                """, arguments: [id]
        ).map(MergeRow.init(row:))
    }

    /// An existing contact's fields, picked again from `rows` (all its rows, from
    /// `rows(ofContact:)`); exactly one row stays `kept` (the first), its conflicts
    /// are replaced.
    func rewrite(id: String, rows: [MergeRow], contact: MergedContact, in db: Database) throws {
        guard let first = rows.first else { return }
        var bulk = BulkStatement(updateContact)
        bindFields(contact, rows: rows, into: &bulk)
        bulk.bind(id)
        try bulk.step()
        try db.execute(
            sql: "UPDATE contact_rows SET disposition = CASE WHEN row_id = ? THEN ? ELSE ? END WHERE contact_id = ?",
            arguments: [first.id, RowDisposition.kept, RowDisposition.merged, id])
        try db.execute(sql: "DELETE FROM conflicts WHERE contact_id = ?", arguments: [id])
        try insertConflicts(contact, id: id, rows: rows)
    }

    /// The sixteen merged columns, in the order both statements name them.
    private func bindFields(_ contact: MergedContact, rows: [MergeRow], into bulk: inout BulkStatement) {
        let stored = StoredContact(contact, rows: rows, names: names, lineage: lineage)
        bulk.bind(stored.viberID)
        bulk.bind(stored.name)
        bulk.bind(stored.nameRow)
        bulk.bind(stored.email)
        bulk.bind(stored.emailRow)
        bulk.bind(stored.consent.rawValue)
        bulk.bind(stored.consentAt)
        bulk.bind(stored.consentRow)
        bulk.bind(stored.consentRule)
        bulk.bind(stored.language)
        bulk.bind(stored.sources)
        bulk.bind(stored.tags)
        bulk.bind(stored.rowCount)
        bulk.bind(stored.firstRow)
        bulk.bind(stored.sourceRows)
        bulk.bind(stored.conflict)
    }

    private func insertConflicts(_ contact: MergedContact, id: String, rows: [MergeRow]) throws {
        guard !contact.conflicts.isEmpty else { return }
        let rowIDs = rows.map { String($0.id) }.joined(separator: ",")
        for kind in contact.conflicts { try insertConflict.execute(arguments: [id, kind, rowIDs]) }
    }
}

/// Where a `MergeRow`'s columns stand, found by name once per query.
struct MergeRowColumns {
    let id, sourceID, record, name, email, consent, consentAt, seenAt, viberID, tags, language: Int

    init(_ at: ColumnPositions) {
        (id, sourceID, record, name, email) = (at("row_id"), at("source_id"), at("record"), at("name"), at("email"))
        (consent, consentAt, seenAt, viberID) = (at("consent"), at("consent_at"), at("seen_at"), at("viber_id"))
        (tags, language) = (at("tags"), at("language"))
    }

    func row(_ row: Row) -> MergeRow {
        MergeRow(
            id: row[id], sourceID: row[sourceID], record: row[record], name: row[name], email: row[email],
            consent: ConsentState(rawValue: row[consent]) ?? .unknown, consentAt: row[consentAt], seenAt: row[seenAt],
            viberID: row[viberID], tags: row[tags], language: row[language])
    }
}

extension MergeRow {
    /// Reads `MergeRow.columns` by name (the input row's id as `row_id`).
    init(row: Row) {
        self.init(
            id: row["row_id"], sourceID: row["source_id"], record: row["record"], name: row["name"],
            email: row["email"], consent: ConsentState(rawValue: row["consent"]) ?? .unknown,
            consentAt: row["consent_at"], seenAt: row["seen_at"], viberID: row["viber_id"], tags: row["tags"],
            language: row["language"])
    }
}
