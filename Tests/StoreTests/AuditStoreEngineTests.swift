import Foundation
import GRDB
import Testing
import WamigrateBase
import WamigrateModel
import WamigrateStore
import WamigrateTestSupport

@testable import WamigratePostgres

/// The run's audit (manifest and contact snapshot), `trace` and `diff` come out the same on
/// every engine for the same job: seeded through the pipeline's protocol with one salt, so the
/// contact ids and the snapshot's digests must match byte for byte.
@Suite("Store: the auditor's snapshot, trace and diff on each engine")
struct AuditStoreEngineTests {
    static let salt = "0123456789abcdef0123456789abcdef"
    /// Masked as the commands mask, with a fixed visible prefix (no libphonenumber here).
    static let masker = Masker(mode: .masked, key: nil, visiblePrefix: { String($0.prefix(6)) })

    /// Two runs: a name changes, a contact leaves, one arrives, one opts out (a move between lists).
    static let runs: [[SeedRow]] = [
        [
            SeedRow(phone: "+4915100000001", e164: "+4915100000001", consent: .optedIn, consentAt: 100, name: "Zoë 🙂"),
            SeedRow(phone: "+4915100000002", e164: "+4915100000002", consent: .optedIn, consentAt: 100, name: "Ann"),
            SeedRow(phone: "+4915100000003", e164: "+4915100000003", name: "Tab\there"),
            SeedRow(phone: "junk", e164: nil),
        ],
        [
            SeedRow(phone: "+4915100000001", e164: "+4915100000001", consent: .optedIn, consentAt: 100, name: "Zoe"),
            SeedRow(phone: "+4915100000002", e164: "+4915100000002", consent: .optedOut, consentAt: 300, name: "Ann"),
            SeedRow(phone: "+4915100000004", e164: "+4915100000004", name: "New"),
            SeedRow(phone: "0151 2", e164: nil),
        ],
    ]

    /// Every engine's job after both runs, with the salt set before the first.
    static func seeded() throws -> [(engine: StoreEngine, job: SeededJob)] {
        try StoreEngine.stages.map { engine in
            let job = try SeededJob(engine, salt: salt)
            for rows in runs { try Seed.pipeline(job.store, rows) }
            return (engine, job)
        }
    }

    @Test func theSnapshotAndManifestAreTheSameOnEveryEngine() throws {
        let jobs = try Self.seeded()
        try #require(jobs.count > 1, "set WAMIGRATE_TEST_POSTGRES to compare the engines")
        let sqlite = try jobs[0].job.snapshot()
        #expect(sqlite.count == 6)
        #expect(sqlite.contains { $0.contains(RunSnapshot.Digest(salt: Self.salt)("Zoë 🙂")) })
        for (engine, job) in jobs.dropFirst() {
            #expect(try job.snapshot() == sqlite, "run_contacts on \(engine)")
            #expect(try job.manifests() == jobs[0].job.manifests(), "run_manifests on \(engine)")
        }
    }

    @Test func diffIsTheSameOnEveryEngine() throws {
        let jobs = try Self.seeded()
        try #require(jobs.count > 1, "set WAMIGRATE_TEST_POSTGRES to compare the engines")
        let diffs = try jobs.map { try json($0.job.audit.diff(from: 1, to: 2, sample: 5, masker: Self.masker)) }
        #expect(diffs[0].contains(#""name":1"#))
        for (index, diff) in diffs.enumerated().dropFirst() {
            #expect(diff == diffs[0], "diff on \(jobs[index].engine)")
        }
    }

    @Test func traceIsTheSameOnEveryEngine() throws {
        let jobs = try Self.seeded()
        try #require(jobs.count > 1, "set WAMIGRATE_TEST_POSTGRES to compare the engines")
        let contact = try jobs[0].job.audit.trace(
            lookup: "+4915100000002", policy: ConsentPolicy(), masker: Self.masker)
        let id = try #require(contact.contactID)
        for lookup in ["+4915100000002", "+49 151 0000 0001", id, "sms.csv:4", "sms.csv:2 (line 3)", "+4915199999999"] {
            let traces = try jobs.map {
                var trace = try $0.job.audit.trace(lookup: lookup, policy: ConsentPolicy(), masker: Self.masker)
                // The ledger's ids and recording times are the engine's (a PostgreSQL identity skips
                // the numbers of conflicting inserts) and the clock's.
                for index in trace.ledger.indices {
                    (trace.ledger[index].id, trace.ledger[index].recordedAt) = (nil, 0)
                }
                return try json(trace)
            }
            for (index, trace) in traces.enumerated().dropFirst() {
                #expect(trace == traces[0], "trace \(lookup) on \(jobs[index].engine)")
            }
        }
        #expect(contact.consent == ConsentState.optedOut.rawValue)
        #expect(contact.sourceRows.map(\.origin) == ["sms.csv:2"])
    }

    private func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(value), as: UTF8.self)
    }
}

/// A job on one engine, opened with a given salt, and its audit tables read raw.
final class SeededJob {
    let store: any StageStore
    let audit: any RunAuditStore
    private let kept: AnyObject

    init(_ engine: StoreEngine, salt: String) throws {
        switch engine {
        case .sqlite:
            let folder = TempFolder()
            let path = folder.file("job.sqlite")
            _ = try JobStore(path: path, command: "store-tests")
            try DatabaseQueue(path: path).write { try $0.execute(sql: "UPDATE job SET salt = ?", arguments: [salt]) }
            let store = try JobStore(path: path, command: "store-tests")
            (self.store, audit, kept) = (store, store, folder)
        case .postgres:
            let database = try PostgresTestDatabase()
            try PostgresJobStore(database.address, command: "store-tests").connection.execute(
                "UPDATE job SET salt = $1", [salt])
            let store = try PostgresJobStore(database.address, command: "store-tests")
            (self.store, audit, kept) = (store, store, database)
        }
    }

    static let snapshotSQL = """
        SELECT run_id, contact_id, masked, address, list, reason, whatsapp, wa_id_digest, name_digest, email_digest,
          consent, consent_at, language, region, number_type, tags, sources, row_count
        FROM run_contacts ORDER BY run_id, contact_id
        """

    /// Every snapshot row, as text.
    func snapshot() throws -> [[String?]] {
        try rows(Self.snapshotSQL, columns: 18)
    }

    /// Every manifest, without what the clock decides (times).
    func manifests() throws -> [String] {
        try rows("SELECT manifest_json FROM run_manifests ORDER BY run_id", columns: 1).map { row in
            var manifest = try JSONDecoder().decode(RunManifest.self, from: Data((row[0] ?? "").utf8))
            manifest.startedAt = ""
            manifest.finishedAt = nil
            for index in manifest.stages.indices {
                manifest.stages[index].startedAt = ""
                manifest.stages[index].finishedAt = ""
            }
            return try manifest.storedJSON
        }
    }

    private func rows(_ sql: String, columns: Int) throws -> [[String?]] {
        if let store = store as? PostgresJobStore {
            let rows = try store.connection.execute(sql)
            return (0..<rows.count).map { row in (0..<columns).map { rows.string(row, Int32($0)) } }
        }
        guard let store = store as? JobStore else { preconditionFailure("unknown engine") }
        return try DatabaseQueue(path: store.path).read { db in
            try Row.fetchAll(db, sql: sql).map { row in
                (0..<columns).map { column in row[column].map { "\($0)" } }
            }
        }
    }
}
