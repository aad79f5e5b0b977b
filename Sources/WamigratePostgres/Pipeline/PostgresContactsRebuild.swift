import Foundation
import WamigrateBase
import WamigrateModel

/// Dedupe on PostgreSQL, in one transaction: the normalized rows read in key order, grouped per
/// key and merged by `merge` (Core's survivorship) on a second connection
/// (`PostgresContactGroupReader`), the contacts and their rows copied in a batch at a time, export consent staged and recorded in the ledger, the
/// stage recorded. The same keys, order and contact ids as the SQLite store (`ContactsRebuild`).
extension PostgresJobStore {
    public func rebuildContacts(
        context: StageContext, progress: any ProgressSink,
        merge: (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact
    ) throws -> DedupeReport {
        var report = DedupeReport()
        try write {
            // Verify's and import's results go; dedupe's own tables are loaded aside and swapped in.
            try clear(from: .verify)
            try connection.execute("DELETE FROM wa_merges")
            try connection.execute("DELETE FROM stage_runs WHERE stage = $1", [Stage.dedupe])
            try PostgresContactTables.prepareAside(connection)
            let sources = try JobSources(connection)
            let ledger = try PostgresExportConsent(connection, sources: sources)
            let total =
                try connection.execute(
                    "SELECT COUNT(*) FROM normalized_rows WHERE outcome IN (\(RowOutcome.ok.quoted), \(RowOutcome.viberOnly.quoted))"
                ).scalarInt ?? 0
            progress.update("dedupe", done: 0, total: total, unit: "rows")
            func write(_ groups: [PreparedGroup]) throws {
                try copyContacts(groups, sources: sources)
                for group in groups {
                    for row in group.rows { ledger.stage(row, address: group.address, contactID: group.id) }
                    for kind in group.contact.conflicts { report.conflicts[kind, default: 0] += 1 }
                    report.contacts += 1
                    if group.isViberOnly { report.viberOnlyContacts += 1 }
                    report.kept += 1
                    report.merged += group.rows.count - 1
                    report.mergedViaViberID += group.linked
                    report.consent[group.contact.consent.rawValue, default: 0] += 1
                    report.rowsIn += group.rows.count
                }
                try ledger.flush()
                progress.update("dedupe", done: report.rowsIn, total: total, unit: "rows")
            }
            // Sorting, reading and merging run on a second connection while this one copies.
            try withoutActuallyEscaping(merge) { merge in
                let groups = try PostgresContactGroupReader.start(
                    address, salt: salt, priorities: sources.priorities, merge: merge)
                defer { groups.stop() }
                while let batch = try groups.take() { try write(batch) }
            }
            progress.finish("dedupe")
            try PostgresContactTables.swapIn(connection)
            let bound = try stageReviewOptOuts(ledger)
            let recorded = try ledger.record(recordedAt: Clock.unixNow())
            report.consentEventsAdded = recorded.added
            report.consentFromLedger = try refreshConsentAfterDedupe(exportEventsOfThisExtract: recorded.staged)
            if !bound.isEmpty {
                report.consentFromLedger = (report.consentFromLedger ?? 0) + (try refreshContactConsent(addresses: bound))
            }
            try complete(.dedupe, context: context, rowsIn: report.rowsIn, rowsOut: report.contacts, details: report)
        }
        return report
    }

    /// The contacts of `groups`, their rows and conflicts, each table through one COPY.
    private func copyContacts(_ groups: [PreparedGroup], sources: JobSources) throws {
        let contacts = try connection.startCopy(into: "contacts_next", columns: Self.contactColumns)
        for group in groups {
            let stored = StoredContact(group.contact, rows: group.rows, names: sources.names, lineage: sources.lineage)
            for value in [
                group.id, group.isViberOnly ? nil : group.key, group.region, group.numberType, stored.viberID, stored.name,
                stored.nameRow, stored.email, stored.emailRow, stored.consent, stored.consentAt, stored.consentRow,
                stored.consentRule, stored.language, stored.sources, stored.tags, stored.rowCount, stored.firstRow,
                stored.sourceRows, stored.conflict,
            ] as [(any PostgresBindable)?] {
                try contacts.add(value)
            }
        }
        try contacts.finish()
        let links = try connection.startCopy(into: "contact_rows_next", columns: ["row_id", "contact_id", "disposition"])
        for group in groups {
            for (index, row) in group.rows.enumerated() {
                try links.add(row.id)
                try links.add(group.id)
                try links.add((index == 0 ? RowDisposition.kept : .merged).rawValue)
            }
        }
        try links.finish()
        let conflicts = try connection.startCopy(into: "conflicts_next", columns: ["contact_id", "kind", "row_ids"])
        for group in groups where !group.contact.conflicts.isEmpty {
            let rowIDs = group.rows.map { String($0.id) }.joined(separator: ",")
            for kind in group.contact.conflicts {
                try conflicts.add(group.id)
                try conflicts.add(kind)
                try conflicts.add(rowIDs)
            }
        }
        try conflicts.finish()
    }

    static let contactColumns = [
        "id", "e164", "region", "number_type", "viber_id", "name", "name_row", "email", "email_row", "consent",
        "consent_at", "consent_row", "consent_rule", "language", "sources", "tags", "row_count", "first_row",
        "source_rows", "conflict",
    ]

    /// The opt-outs of rows in review, staged for every candidate number; returns the addresses.
    private func stageReviewOptOuts(_ ledger: PostgresExportConsent) throws -> [String] {
        var addresses: [String] = []
        let rows = try connection.execute(
            """
            SELECT n.candidates, r.source_id, r.record, r.consent_at FROM normalized_rows n
            JOIN input_rows r ON r.id = n.row_id
            WHERE n.outcome = $1 AND r.consent = $2 ORDER BY r.id
            """, [RowOutcome.review, ConsentState.optedOut])
        let (candidatesAt, sourceAt, recordAt, consentAt) = (
            rows.column("candidates"), rows.column("source_id"), rows.column("record"), rows.column("consent_at")
        )
        for index in 0..<rows.count {
            let candidates = (rows.string(index, candidatesAt) ?? "").components(separatedBy: " | ").filter { !$0.isEmpty }
            for (candidate, address) in candidates.enumerated() {
                ledger.stageReviewOptOut(
                    sourceID: rows.int64(index, sourceAt) ?? 0, record: rows.int64(index, recordAt) ?? 0,
                    at: rows.int64(index, consentAt), candidate: candidate, address: address,
                    contactID: StoredContact.id(salt: salt, key: address))
                addresses.append(address)
            }
        }
        return addresses
    }

    /// The pipeline's shared queries, texts compared byte by byte whatever the database's
    /// collation, so contacts and files come out in the same order as on SQLite.
    static let queries = PipelineQueries(byteOrder: " COLLATE \"C\"", listOrder: "seq")
}

/// One contact being gathered: its key (an E.164, or `~` and a Viber id), rows in row order.
struct PreparedGroup {
    var key: String
    var id: String
    var region: String?
    var numberType: String?
    var linked = 0
    var rows: [MergeRow] = []
    var contact = MergedContact(
        name: nil, email: nil, language: nil, viberID: nil, consent: .unknown, consentAt: nil, consentRow: nil,
        consentRule: nil, sourceIDs: [], tags: [], conflicts: [])

    init(key: String, id: String) {
        self.key = key
        self.id = id
    }

    var isViberOnly: Bool { key.hasPrefix("~") }
    var address: String { isViberOnly ? "viber:" + key.dropFirst() : key }
}

/// Where a `MergeRow`'s columns stand in a result, found by name once.
struct MergeRowPositions {
    let id, sourceID, record, name, email, consent, consentAt, seenAt, viberID, tags, language: Int32

    init(_ rows: PostgresRows) {
        (id, sourceID, record, name, email) = (
            rows.column("row_id"), rows.column("source_id"), rows.column("record"), rows.column("name"), rows.column("email")
        )
        (consent, consentAt, seenAt, viberID) = (
            rows.column("consent"), rows.column("consent_at"), rows.column("seen_at"), rows.column("viber_id")
        )
        (tags, language) = (rows.column("tags"), rows.column("language"))
    }

    func row(_ rows: PostgresRows, _ index: Int) -> MergeRow {
        MergeRow(
            id: rows.int64(index, id) ?? 0, sourceID: rows.int64(index, sourceID) ?? 0, record: rows.int64(index, record) ?? 0,
            name: rows.string(index, name), email: rows.string(index, email),
            consent: ConsentState(rawValue: rows.string(index, consent) ?? "") ?? .unknown,
            consentAt: rows.int64(index, consentAt), seenAt: rows.int64(index, seenAt), viberID: rows.string(index, viberID),
            tags: rows.string(index, tags), language: rows.string(index, language))
    }
}

/// The job's sources as dedupe and the outputs need them.
struct JobSources {
    var names: [Int64: String] = [:]
    var priorities: [Int64: Int] = [:]
    var channels: [Int64: String] = [:]
    var checksums: [Int64: String] = [:]
    var lineage: Lineage

    init(_ connection: PostgresConnection) throws {
        let rows = try connection.execute("SELECT id, name, path, priority, channel, sha256 FROM sources")
        var paths: [Int64: String] = [:]
        for index in 0..<rows.count {
            let id = rows.int64(index, rows.column("id")) ?? 0
            names[id] = rows.string(index, rows.column("name"))
            paths[id] = rows.string(index, rows.column("path"))
            priorities[id] = rows.int(index, rows.column("priority")) ?? 0
            channels[id] = rows.string(index, rows.column("channel"))
            checksums[id] = rows.string(index, rows.column("sha256"))
        }
        lineage = Lineage(paths: paths)
    }
}
