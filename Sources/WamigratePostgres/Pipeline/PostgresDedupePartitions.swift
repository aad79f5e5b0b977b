import Foundation
import WamigrateBase
import WamigrateModel

/// Dedupe shared by several workers (`DedupePartitionStore`). The plan numbers every row that
/// makes a contact in (key, row) order once (`dedupe_keys`, the one sort of the stage) and
/// cuts that order into partitions that start on a key's first row. A worker claims a
/// partition with `FOR UPDATE SKIP LOCKED` and keeps the row lock for the transaction that
/// reads its rows by number, merges them, copies the contacts into the tables loaded aside
/// (`PostgresContactTables`) and marks it done: a killed worker's partition is free again
/// the moment its connection closes, and its contacts are written by one commit only. A
/// contact's `seq` is the number of its first row, so the contacts come out in key order
/// whichever worker wrote them and whenever.
extension PostgresJobStore: DedupePartitionStore {
    public func planDedupe(fingerprint: String, rows: Int) throws -> BatchProgress {
        try write {
            // A worker may be writing a partition of the plan being replaced: wait for it.
            try connection.run("LOCK TABLE dedupe_partitions IN EXCLUSIVE MODE")
            // Only an unfinished plan is resumed: a recorded dedupe is replaced, as on SQLite.
            let kept = try connection.execute(
                """
                SELECT fingerprint FROM dedupe_plan
                WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM stage_runs WHERE stage = $1)
                """, [Stage.dedupe]
            ).scalarString
            guard kept != fingerprint else { return }
            // Verify's and import's results go; dedupe's own tables are loaded aside and swapped in.
            try clear(from: .verify)
            try connection.execute("DELETE FROM wa_merges")
            try connection.execute("DELETE FROM stage_runs WHERE stage = $1", [Stage.dedupe])
            for table in Self.engineTables(.dedupe) { try connection.execute("DELETE FROM \(table)") }
            for table in Self.engineBulkTables(.dedupe) { try connection.run("TRUNCATE \(table)") }
            try PostgresContactTables.prepareAside(connection)
            try connection.execute(
                "INSERT INTO dedupe_plan (id, fingerprint, planned_at) VALUES (1, $1, $2)", [fingerprint, Clock.isoNow()])
            // The stage's one sort, in memory rather than in files; the index built once after.
            try connection.run(
                """
                SET LOCAL work_mem = '256MB';
                ALTER TABLE dedupe_keys DROP CONSTRAINT dedupe_keys_pkey;
                INSERT INTO dedupe_keys (ord, key, row_id, region, number_type, linked, first)
                SELECT row_number() OVER w, key, row_id, region, number_type, linked,
                       CASE WHEN key = lag(key) OVER w THEN 0 ELSE 1 END
                FROM (\(Self.queries.rowKeys)) AS k
                WINDOW w AS (ORDER BY key COLLATE "C", row_id);
                ALTER TABLE dedupe_keys ADD PRIMARY KEY (ord);
                ANALYZE dedupe_keys
                """)
            // A partition starts every `rows` rows, moved on to the next key's first row.
            try connection.execute(
                """
                INSERT INTO dedupe_partitions (id, first_ord, last_ord, rows, state)
                SELECT row_number() OVER (ORDER BY start), start, last, last - start + 1, 'pending' FROM (
                  SELECT start, COALESCE(lead(start) OVER (ORDER BY start) - 1, (SELECT MAX(ord) FROM dedupe_keys)) AS last
                  FROM (SELECT DISTINCT (SELECT MIN(ord) FROM dedupe_keys WHERE first = 1 AND ord >= t) AS start
                        FROM generate_series(1, (SELECT COUNT(*) FROM dedupe_keys), $1::bigint) AS t) AS starts
                  WHERE start IS NOT NULL) AS cut
                """, [max(1, rows)])
        }
        return try dedupeProgress()
    }

    public func dedupePlan() throws -> String? {
        try read {
            try connection.execute(
                """
                SELECT fingerprint FROM dedupe_plan
                WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM stage_runs WHERE stage = $1)
                """, [Stage.dedupe]
            ).scalarString
        }
    }

    public func dedupeNextPartition(
        worker: String, fingerprint: String, merge: (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact
    ) throws -> Bool {
        try workOnNextUnit(
            of: "dedupe_partitions", plan: "dedupe_plan", fingerprint: fingerprint, bounds: ("first_ord", "last_ord"),
            worker: worker
        ) { first, last in
            let sources = try JobSources(connection)
            let groups = try partitionGroups(first: first, last: last, priorities: sources.priorities, merge: merge)
            var report = DedupeReport()
            let ledger = PostgresExportConsent(connection, sources: sources)
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
            return String(decoding: try JSONEncoder.sorted.encode(report), as: UTF8.self)
        }
    }

    /// The rows numbered `first`…`last`, grouped per key in key order, each group merged and named.
    private func partitionGroups(
        first: Int64, last: Int64, priorities: [Int64: Int],
        merge: (_ priorities: [Int64: Int], _ rows: [MergeRow]) -> MergedContact
    ) throws -> [PreparedGroup] {
        let rows = try connection.execute(
            """
            SELECT k.ord, k.key, k.region, k.number_type, k.linked, \(MergeRow.columns)
            FROM dedupe_keys k JOIN input_rows r ON r.id = k.row_id
            WHERE k.ord BETWEEN $1 AND $2 ORDER BY k.ord
            """, [first, last])
        let at = MergeRowPositions(rows)
        let (ordAt, keyAt, linkedAt, regionAt, typeAt) = (
            rows.column("ord"), rows.column("key"), rows.column("linked"), rows.column("region"), rows.column("number_type")
        )
        var groups: [PreparedGroup] = []
        for index in 0..<rows.count {
            let key = rows.string(index, keyAt) ?? ""
            if groups.last?.key != key {
                if !groups.isEmpty { groups[groups.count - 1].contact = merge(priorities, groups[groups.count - 1].rows) }
                groups.append(
                    PreparedGroup(key: key, id: StoredContact.id(salt: salt, key: key), seq: rows.int64(index, ordAt) ?? 0))
            }
            let open = groups.count - 1
            groups[open].rows.append(at.row(rows, index))
            if groups[open].region == nil { groups[open].region = rows.string(index, regionAt) }
            if groups[open].numberType == nil { groups[open].numberType = rows.string(index, typeAt) }
            if rows.int(index, linkedAt) == 1 { groups[open].linked += 1 }
        }
        if !groups.isEmpty { groups[groups.count - 1].contact = merge(priorities, groups[groups.count - 1].rows) }
        return groups
    }

    public func dedupeProgress() throws -> BatchProgress { try progress(of: "dedupe_partitions") }

    public func finishDedupe(context: StageContext) throws -> DedupeReport? {
        try write {
            try connection.run("LOCK TABLE dedupe_partitions IN EXCLUSIVE MODE")
            let plan = try connection.execute("SELECT fingerprint FROM dedupe_plan WHERE id = 1").scalarString
            guard plan == context.fingerprint else {
                throw WamigrateError(
                    .worker, "dedupe cannot be recorded: its plan was replaced meanwhile",
                    hint: "run `wamigrate dedupe` again")
            }
            let parts = try connection.execute("SELECT state, report_json FROM dedupe_partitions ORDER BY id")
            var report = DedupeReport()
            for index in 0..<parts.count {
                guard parts.string(index, 0) == "done", let json = parts.string(index, 1) else { return nil }
                report.add(try JSONDecoder().decode(DedupeReport.self, from: Data(json.utf8)))
            }
            let indexing = AsideIndexing(address)
            let ledger = PostgresExportConsent(connection, sources: try JobSources(connection))
            let bound = try stageReviewOptOuts(ledger)
            let recorded = try ledger.record(recordedAt: Clock.unixNow())
            try indexing.wait()
            try PostgresContactTables.swapIn(connection)
            report.consentEventsAdded = recorded.added
            report.consentFromLedger = try refreshConsentAfterDedupe(exportEventsOfThisExtract: recorded.staged)
            if !bound.isEmpty {
                report.consentFromLedger = (report.consentFromLedger ?? 0) + (try refreshContactConsent(addresses: bound))
            }
            // The partitions stay, for `status` to say who did them; the numbered keys go.
            try connection.run("TRUNCATE dedupe_keys")
            try complete(.dedupe, context: context, rowsIn: report.rowsIn, rowsOut: report.contacts, details: report)
            return report
        }
    }

    public func dedupeHelper() throws -> any DedupePartitionStore {
        try PostgresJobStore(existing: address)
    }
}
