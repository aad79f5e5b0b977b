import Crypto
import Foundation
import GRDB
import WamigrateBase

/// The receiver's spool: `<store>.webhooks.sqlite`, written only by `webhook serve`.
/// A verified body is appended here (one short transaction) before the 200 goes out,
/// so the receiver never waits for the job store, which another command may be
/// writing. Whoever next holds the job store's writer lock drains the spool into the
/// job's `webhook_inbox` (`JobStore.drainSpool`) and processes it. Append-only.
public final class WebhookSpool: WebhookSpooling, @unchecked Sendable {
    public let path: String
    private let queue: DatabaseQueue
    private let lock: StoreLock

    public static func path(forStore store: String) -> String { store + ".webhooks.sqlite" }

    static let schema = """
        CREATE TABLE IF NOT EXISTS spool (
          id INTEGER PRIMARY KEY,
          received_at INTEGER NOT NULL,
          sha256 TEXT NOT NULL UNIQUE,
          body BLOB NOT NULL
        );
        CREATE TRIGGER IF NOT EXISTS spool_append_only_delete BEFORE DELETE ON spool
          BEGIN SELECT RAISE(ABORT, 'the webhook spool is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS spool_append_only_update BEFORE UPDATE ON spool
          BEGIN SELECT RAISE(ABORT, 'the webhook spool is append-only'); END;
        """

    /// Opens the spool to append, taking its writer lock (one receiver per store).
    public init(store: String) throws {
        path = Self.path(forStore: store)
        lock = try StoreLock.acquire(store: path, command: "webhook serve")
        do {
            var config = Configuration()
            config.busyMode = .timeout(5)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            }
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.write { db in try db.execute(sql: Self.schema) }
        } catch {
            lock.release()
            throw WamigrateError(
                .store, "cannot open the webhook spool: \(error)", hint: "check that the folder of --store is writable",
                at: .init(file: path))
        }
    }

    deinit { lock.release() }

    /// Appends a verified body; false when the same bytes are there already (a redelivery).
    public func append(_ body: Data, at time: Int64) throws -> Bool {
        let digest = Hex.string(SHA256.hash(data: body))
        return try queue.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO spool (received_at, sha256, body) VALUES (?, ?, ?)",
                arguments: [time, digest, body])  // the bytes as received, a BLOB: never re-encoded or cut at a NUL
            return db.changesCount > 0
        }
    }

    public func count() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM spool") ?? 0 }
    }
}

extension JobStore {
    /// Copies what the receiver spooled since the last drain into `webhook_inbox`
    /// (same bytes are kept once); returns how many bodies were new to the job.
    @discardableResult
    public func drainSpool() throws -> Int {
        let spoolPath = WebhookSpool.path(forStore: path)
        guard FileManager.default.fileExists(atPath: spoolPath) else { return 0 }
        var config = Configuration()
        config.readonly = true
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA busy_timeout = 5000") }
        let spool = try JobStore.openReadOnly(spoolPath, config)
        var added = 0
        while true {
            let last = try read { db in
                try Int64.fetchOne(db, sql: "SELECT last_id FROM webhook_spools WHERE path = ?", arguments: [spoolPath]) ?? 0
            }
            let rows = try spool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT id, received_at, sha256, body FROM spool WHERE id > ? ORDER BY id LIMIT 5000",
                    arguments: [last])
            }
            guard let lastRow = rows.last else { break }
            try write { db in
                let insert = try db.makeStatement(
                    sql: """
                        INSERT OR IGNORE INTO webhook_inbox (received_at, origin, signature, sha256, body)
                        VALUES (?, 'serve', 'verified', ?, ?)
                        """)
                for row in rows {
                    try insert.execute(arguments: [row["received_at"], row["sha256"], row["body"]])
                    added += db.changesCount
                }
                try db.execute(
                    sql: """
                        INSERT INTO webhook_spools (path, last_id) VALUES (?, ?)
                        ON CONFLICT (path) DO UPDATE SET last_id = excluded.last_id
                        """, arguments: [spoolPath, lastRow[0] as Int64])
            }
        }
        return added
    }
}

/// The spool's highest id, read through a read-only connection kept open.
final class SQLiteSpoolWatch: SpoolWatching {
    private let path: String
    private var queue: DatabaseQueue?
    private var seen: Int64 = 0

    init(store: String) {
        path = WebhookSpool.path(forStore: store)
    }

    public func highWater() throws -> Int64 {
        if queue == nil {
            guard FileManager.default.fileExists(atPath: path) else { return 0 }
            var config = Configuration()
            config.readonly = true
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA busy_timeout = 5000") }
            queue = try JobStore.openReadOnly(path, config)
        }
        return try queue?.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM spool") ?? 0 } ?? 0
    }

    public func hasNew() throws -> Bool { try highWater() > seen }

    public func markSeen(_ mark: Int64) { seen = max(seen, mark) }
}
