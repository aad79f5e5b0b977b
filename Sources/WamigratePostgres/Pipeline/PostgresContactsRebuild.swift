import Foundation
import WamigrateBase
import WamigrateModel

/// Dedupe on PostgreSQL: always in partitions (`PostgresDedupePartitions`). Alone (a store
/// test, or a caller that is not Core's shared dedupe), this handle plans, works every
/// partition and finishes itself; the contacts, their ids and order are the SQLite store's
/// (`ContactsRebuild`).
extension PostgresJobStore {
    /// Rows per partition when this handle dedupes alone.
    static let partitionRows = 50_000

    public func rebuildContacts(
        context: StageContext, progress: any ProgressSink,
        merge: (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact
    ) throws -> DedupeReport {
        var now = try planDedupe(fingerprint: context.fingerprint, rows: Self.partitionRows)
        progress.update("dedupe", done: now.rowsDone, total: now.rows, unit: "rows")
        while try dedupeNextPartition(worker: Self.workerName, fingerprint: context.fingerprint, merge: merge) {
            now = try dedupeProgress()
            progress.update("dedupe", done: now.rowsDone, total: now.rows, unit: "rows")
        }
        progress.finish("dedupe")
        guard let report = try finishDedupe(context: context) else {
            throw WamigrateError(
                .worker, "dedupe cannot be recorded: a partition is still held by another worker",
                hint: "run `wamigrate dedupe` again once the workers are done; it resumes the partitions left")
        }
        return report
    }

    /// `host:pid`: which process did a partition.
    static var workerName: String { "\(ProcessInfo.processInfo.hostName):\(getpid())" }

    /// The contacts of `groups`, their rows and conflicts, each table through one COPY.
    func copyContacts(_ groups: [PreparedGroup], sources: JobSources) throws {
        let contacts = try connection.startCopy(into: "contacts_next", columns: Self.contactColumns)
        for group in groups {
            let stored = StoredContact(group.contact, rows: group.rows, names: sources.names, lineage: sources.lineage)
            for value in [
                group.seq, group.id, group.isViberOnly ? nil : group.key, group.region, group.numberType, stored.viberID,
                stored.name,
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
        "seq", "id", "e164", "region", "number_type", "viber_id", "name", "name_row", "email", "email_row", "consent",
        "consent_at", "consent_row", "consent_rule", "language", "sources", "tags", "row_count", "first_row",
        "source_rows", "conflict",
    ]

    /// The opt-outs of rows in review, staged for every candidate number; returns the addresses.
    func stageReviewOptOuts(_ ledger: PostgresExportConsent) throws -> [String] {
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

/// One contact being gathered: its key (an E.164, or `~` and a Viber id), rows in row order,
/// and its place among the contacts (`seq`: the place of its first row in key order).
struct PreparedGroup {
    var key: String
    var id: String
    var seq: Int64
    var region: String?
    var numberType: String?
    var linked = 0
    var rows: [MergeRow] = []
    var contact = MergedContact(
        name: nil, email: nil, language: nil, viberID: nil, consent: .unknown, consentAt: nil, consentRow: nil,
        consentRule: nil, sourceIDs: [], tags: [], conflicts: [])

    init(key: String, id: String, seq: Int64) {
        self.key = key
        self.id = id
        self.seq = seq
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
