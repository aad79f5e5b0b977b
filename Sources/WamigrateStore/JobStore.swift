import Crypto
import Foundation
import GRDB
import WamigrateBase

/// The job store: one SQLite file per job. The only owner of the database
/// connection; stages get scoped transactions through `write` and `read`.
public final class JobStore {
    public let path: String
    let queue: DatabaseQueue
    /// Per-job secret that makes contact ids stable within a job without
    /// exposing the number they came from.
    public let salt: String
    /// The writer lock; nil for a store opened to read.
    private let lock: StoreLock?
    /// The tables each write transaction changed, whose generations it bumps.
    private let generations: TableGenerations

    /// Opens (creating when missing) a store to write: takes the store's writer lock
    /// for the life of this object, or throws `E_STORE_BUSY` naming the command holding it.
    public init(path: String, command: String = CommandLine.arguments.joined(separator: " ")) throws {
        guard StoreEngineName.of(path) == .sqlite else { throw StoreEngineName.sqliteOnly }
        self.path = path
        let lock = try StoreLock.acquire(store: path, command: command)
        self.lock = lock
        let generations = TableGenerations()
        self.generations = generations
        do {
            var config = Configuration()
            // The busy timeout comes first: setting the journal mode needs a lock, which the
            // last holder's connection may still have for a moment while it closes (its checkpoint).
            config.busyMode = .timeout(5)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA busy_timeout = 5000")
                try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = FILE;")
                try db.execute(sql: "PRAGMA cache_size = -65536")  // 64 MiB page cache, bounded
            }
            queue = try DatabaseQueue(path: path, configuration: config)
            try Schema.migrator.migrate(queue)
            queue.add(transactionObserver: generations, extent: .observerLifetime)
            queue.inDatabase { db in generations.register(for: db) }
            // Holding the writer lock, no run of this store can still be going: a run
            // left `running` was killed. It is marked so, never mistaken for a live one.
            try queue.write { db in
                try db.execute(
                    literal: """
                        UPDATE runs SET status = \(RunStatus.failed), finished_at = \(Clock.isoNow())
                        WHERE status = \(RunStatus.running)
                        """)
                try generations.bump(db)
            }
            salt = try queue.write { db in
                if let salt = try String.fetchOne(db, sql: "SELECT salt FROM job WHERE id = 1") { return salt }
                let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Hex.string($0) }
                try db.execute(
                    sql: "INSERT INTO job (id, salt, created_at) VALUES (1, ?, ?)", arguments: [salt, Clock.isoNow()])
                try generations.bump(db)
                return salt
            }
        } catch let error as WamigrateError {
            lock.release()
            throw error
        } catch {
            lock.release()
            throw WamigrateError(
                .store, "cannot open the job store: \(Self.describe(error))",
                hint: "check that the --store path is a writable SQLite file made by wamigrate", at: .init(file: path))
        }
    }

    /// Stops the statement this connection runs, from another thread (it fails with
    /// SQLITE_INTERRUPT); a no-op when none runs.
    func interrupt() { queue.interrupt() }

    /// Opens a store that must already exist, to read only (status, report, trace,
    /// diff): no writer lock, so it works while a run writes, and in a read-only folder.
    public init(existingAt path: String) throws {
        guard StoreEngineName.of(path) == .sqlite else { throw StoreEngineName.sqliteOnly }
        self.path = path
        lock = nil
        generations = TableGenerations()
        guard FileManager.default.fileExists(atPath: path) else {
            throw WamigrateError(
                .store, "job store not found", hint: "run `wamigrate run --store \(path) ...` first", at: .init(file: path))
        }
        do {
            var config = Configuration()
            config.readonly = true
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA busy_timeout = 5000") }
            queue = try Self.openReadOnly(path, config)
            guard try queue.read({ try Schema.migrator.hasCompletedMigrations($0) }) else {
                throw WamigrateError(
                    .store, "the job store was made by an older wamigrate",
                    hint: "run `wamigrate export --store ... --out DIR` (a command that writes the store) once to upgrade it",
                    at: .init(file: path))
            }
            salt = try queue.read { try String.fetchOne($0, sql: "SELECT salt FROM job WHERE id = 1") } ?? ""
        } catch let error as WamigrateError {
            throw error
        } catch {
            throw WamigrateError(
                .store, "cannot read the job store: \(Self.describe(error))",
                hint: "check that the --store path is a SQLite file made by wamigrate", at: .init(file: path))
        }
    }

    /// The connection closes (and checkpoints) before the writer lock is given back, so the
    /// next writer never finds the file locked by a store that is already gone.
    deinit {
        try? queue.close()
        lock?.release()
    }

    /// A WAL store in a folder nobody can write (a read-only mount, an archive) cannot get
    /// its shared-memory file; there, nothing can change it either, so it is opened
    /// `immutable` (SQLite reads it without locks).
    static func openReadOnly(_ path: String, _ config: Configuration) throws -> DatabaseQueue {
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { _ = try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return queue
        } catch {
            let folder = (path as NSString).deletingLastPathComponent
            guard access(folder.isEmpty ? "." : folder, W_OK) != 0 else { throw error }
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let escaped = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
            return try DatabaseQueue(path: "file:" + escaped + "?immutable=1", configuration: config)
        }
    }

    public static func describe(_ error: Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "SQLite error \(db.resultCode)" }
        return "\(error)"
    }

    /// A write transaction; SQLite errors become E_STORE errors (without bound values).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try storeErrors("write", hint: "see the message; the stage rolled back and can be run again") {
            try queue.write { db in
                let result = try body(db)
                try generations.bump(db)
                return result
            }
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try storeErrors("read", hint: "check the store file") { try queue.read(body) }
    }

    private func storeErrors<T>(_ action: String, hint: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as WamigrateError {
            throw error
        } catch {
            throw WamigrateError(
                .store, "job store \(action) failed: \(Self.describe(error))", hint: hint, at: .init(file: path))
        }
    }

    // MARK: - Runs

    /// Starts a run record; the returned id goes on every stage run it makes.
    /// `phoneLibrary`, `phonePackage` and `phoneMetadata`: the libphonenumber file, the Debian
    /// package that ships it and the metadata fingerprint the run parses with (Core's
    /// `beginRun(command:dryRun:configJSON:)` fills them).
    public func beginRun(
        command: String, dryRun: Bool, configJSON: String, phoneLibrary: String, phonePackage: String,
        phoneMetadata: String
    ) throws -> Int64 {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (command, started_at, status, dry_run, tool_version, phonenumber_library,
                      phonenumber_package, phonenumber_metadata, config_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    command, Clock.isoNow(), RunStatus.running, dryRun, ToolVersion.current, phoneLibrary, phonePackage,
                    phoneMetadata, configJSON,
                ])
            return db.lastInsertedRowID
        }
    }

    /// Ends a run in one transaction with its audit: the manifest, and when the run
    /// succeeded and dedupe has run, the snapshot of every contact a later diff compares
    /// against. A kill before the commit leaves the run `running` (marked failed by the
    /// next writer), never `ok` without its audit.
    public func finishRun(_ id: Int64, ok: Bool, audit: Bool = true) throws {
        try write { db in
            if audit {
                try RunManifest.record(db, run: id)
                let deduped =
                    try SQLRequest<Int>("SELECT COUNT(*) FROM stage_runs WHERE stage = \(Stage.dedupe)").fetchOne(db) ?? 0
                if ok, deduped > 0 { try RunSnapshot.record(db, run: id, salt: salt) }
                // A run first recorded ok and then failed (its output files, written beside
                // the audit step, could not be finished) keeps no snapshot.
                if !ok { try db.execute(sql: "DELETE FROM run_contacts WHERE run_id = ?", arguments: [id]) }
            }
            try db.execute(
                sql: "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?",
                arguments: [Clock.isoNow(), ok ? RunStatus.ok : RunStatus.failed, id])
        }
    }

    /// True when `stage` or a later one has results a run of `stage` would replace.
    public func hasResults(from stage: Stage) throws -> Bool {
        try read { db in
            let names = stage.andLater.map { "'\($0.rawValue)'" }.joined(separator: ",")
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stage_runs WHERE stage IN (\(names))") ?? 0 > 0
        }
    }

    /// Deletes the results of `stage` and every later stage (inside the caller's transaction).
    static func clear(from stage: Stage, in db: Database) throws {
        for later in stage.andLater.reversed() {
            for table in later.ownedTables { try db.execute(sql: "DELETE FROM \(table)") }
            try db.execute(sql: "DELETE FROM stage_runs WHERE stage = ?", arguments: [later.rawValue])
        }
    }

    static func recordStage(
        _ stage: Stage, run: Int64, started: String, fingerprint: String, rowsIn: Int, rowsOut: Int,
        details: some Encodable, in db: Database
    ) throws {
        let json = String(decoding: try JSONEncoder.sorted.encode(details), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO stage_runs (run_id, stage, started_at, finished_at, fingerprint, rows_in, rows_out, details_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [run, stage.rawValue, started, Clock.isoNow(), fingerprint, rowsIn, rowsOut, json])
    }

    /// The report the last completed run of `stage` recorded; nil when there is none
    /// or it no longer decodes (a report from an older version).
    public func lastReport<R: Decodable>(_ stage: Stage, as type: R.Type) throws -> R? {
        let json = try read { db in
            try String.fetchOne(
                db, sql: "SELECT details_json FROM stage_runs WHERE stage = ? ORDER BY id DESC LIMIT 1",
                arguments: [stage.rawValue])
        }
        return json.flatMap { try? JSONDecoder().decode(R.self, from: Data($0.utf8)) }
    }

    /// The fingerprint of the last completed run of `stage`, nil when it has not run
    /// since it was last cleared.
    public func completedFingerprint(_ stage: Stage) throws -> String? {
        try read { db in
            try String.fetchOne(
                db, sql: "SELECT fingerprint FROM stage_runs WHERE stage = ? ORDER BY id DESC LIMIT 1",
                arguments: [stage.rawValue])
        }
    }
}

extension JobStore {
    /// One write transaction; with `rehearsing`, the same work runs in a savepoint that
    /// is rolled back, so a dry run computes everything and keeps nothing.
    func write(rehearsing: Bool, _ work: (Database) throws -> Void) throws {
        try write { db in
            if rehearsing {
                try db.inSavepoint {
                    try work(db)
                    return .rollback
                }
            } else {
                try work(db)
            }
        }
    }
}

/// Settings the job keeps between commands, so a stage run alone behaves as in `run`.
extension JobStore {
    /// The default region the job was last given (`--default-region` or the config's `default_region`).
    public func rememberedDefaultRegion() throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT default_region FROM job WHERE id = 1") }
    }

    public func rememberDefaultRegion(_ region: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE job SET default_region = ? WHERE id = 1", arguments: [region])
        }
    }
}
