import Crypto
import Foundation
import WamigrateBase
import WamigrateModel

/// The webhook inbox on PostgreSQL. Receivers (`webhook serve`, as many as the team runs)
/// append verified bodies straight into `webhook_inbox` (`PostgresWebhookSpool`): there is no
/// spool file to drain. Taking bodies into the job is done by one process at a time (a session
/// advisory lock held for the pass), so each body is processed once whoever gets there first.
extension PostgresJobStore {
    public func appendWebhook(_ body: Data, origin: String, signature: String, at time: Int64) throws -> Int64? {
        try write { try Self.appendWebhook(body, origin: origin, signature: signature, at: time, connection) }
    }

    static func appendWebhook(
        _ body: Data, origin: String, signature: String, at time: Int64, _ connection: PostgresConnection
    ) throws -> Int64? {
        try connection.execute(
            """
            INSERT INTO webhook_inbox (received_at, origin, signature, sha256, body) VALUES ($1, $2, $3, $4, $5::bytea)
            ON CONFLICT (sha256) DO NOTHING RETURNING id
            """, [time, origin, signature, Hex.string(SHA256.hash(data: body)), PostgresBytes(data: body)]
        ).int64(0, 0)
    }

    public func unprocessedWebhooks(limit: Int) throws -> [InboxBody] {
        try read {
            let rows = try connection.execute(
                "SELECT id, origin, body, received_at FROM webhook_inbox WHERE processed_at IS NULL ORDER BY id LIMIT $1",
                [limit])
            return (0..<rows.count).map {
                InboxBody(
                    id: rows.int64($0, 0) ?? 0, origin: rows.string($0, 1) ?? "", body: rows.bytes($0, 2) ?? Data(),
                    receivedAt: rows.int64($0, 3) ?? 0)
            }
        }
    }

    public func markWebhooksProcessed(_ ids: [Int64], at time: Int64) throws {
        guard !ids.isEmpty else { return }
        try write {
            try connection.execute(
                "UPDATE webhook_inbox SET processed_at = $1 WHERE id = ANY($2::bigint[]) AND processed_at IS NULL",
                [time, PostgresArray(ids)])
        }
    }

    /// Receivers write into the inbox themselves: nothing to move.
    @discardableResult
    public func drainSpool() throws -> Int { 0 }

    /// One processing pass at a time across every process on the job: waits for another's pass
    /// (receivers keep theirs short) and holds the lock for this one.
    public func processingWebhooksAlone<T>(_ body: () throws -> T) throws -> T {
        do {
            try connection.execute("SELECT pg_advisory_lock($1)", [PostgresLocks.webhookProcessing])
        } catch {
            throw Self.storeError(error, "cannot take the webhook processing lock", address: address)
        }
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [PostgresLocks.webhookProcessing]) }
        return try body()
    }

    public func spoolWatch() -> any SpoolWatching { PostgresInboxWatch(store: self) }

    /// The inbox's highest id (0 when empty), and whether any body waits to be processed (ids
    /// are handed out before their rows commit, so a body may land below an id already seen).
    func inboxState() throws -> (highWater: Int64, unprocessed: Bool) {
        try autocommit {
            let rows = try connection.execute(
                """
                SELECT COALESCE(max(id), 0), EXISTS (SELECT 1 FROM webhook_inbox WHERE processed_at IS NULL)
                FROM webhook_inbox
                """)
            return (rows.int64(0, 0) ?? 0, rows.string(0, 1) == "t")
        }
    }
}

/// A cheap look at the inbox for long-running commands: bodies appended since the last look.
final class PostgresInboxWatch: SpoolWatching {
    private let store: PostgresJobStore
    private var seen: Int64 = 0

    init(store: PostgresJobStore) { self.store = store }

    func highWater() throws -> Int64 { try store.inboxState().highWater }

    /// Bodies appended since the last look, or any not processed yet.
    func hasNew() throws -> Bool {
        let state = try store.inboxState()
        return state.highWater > seen || state.unprocessed
    }

    func markSeen(_ mark: Int64) { seen = max(seen, mark) }
}

/// What `webhook serve` appends to on PostgreSQL: the job's inbox itself, through a connection
/// of its own (the receiver's request handlers take turns on it). Several receivers may append
/// at once; the same bytes are kept once. A connection the server cut (a restart, a failover)
/// is replaced and the body tried once more before the receiver answers 503.
public final class PostgresWebhookSpool: WebhookSpooling, @unchecked Sendable {
    private var connection: PostgresConnection
    private let lock = NSLock()
    private let address: PostgresAddress

    public init(_ address: PostgresAddress) throws {
        self.address = address
        do {
            connection = try PostgresConnection(address)
            guard try PostgresSchema.isCurrent(connection) else {
                throw WamigrateError(
                    .store, "the job store on \(address) was not made by this wamigrate (or not made yet)",
                    hint: "run `wamigrate run --store \(address) ...` first; it creates and upgrades the tables")
            }
        } catch {
            throw PostgresJobStore.storeError(error, "cannot open the webhook inbox", address: address)
        }
    }

    public func append(_ body: Data, at time: Int64) throws -> Bool {
        lock.lock()
        defer { lock.unlock() }
        do {
            do {
                return try PostgresJobStore.appendWebhook(
                    body, origin: "serve", signature: "verified", at: time, connection) != nil
            } catch  where connection.isBroken {
                connection = try PostgresConnection(address)
                return try PostgresJobStore.appendWebhook(
                    body, origin: "serve", signature: "verified", at: time, connection) != nil
            }
        } catch {
            throw PostgresJobStore.storeError(error, "cannot keep a webhook body", address: address)
        }
    }

    public func count() throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        return try connection.execute("SELECT count(*) FROM webhook_inbox WHERE origin = 'serve'").scalarInt ?? 0
    }
}
