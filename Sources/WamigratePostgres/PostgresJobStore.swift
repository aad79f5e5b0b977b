import Crypto
import Foundation
import WamigrateBase
import WamigrateModel

/// The job store on a PostgreSQL server: the second conformance of the model's store
/// protocols, for teams whose job outgrows one file and one machine. One job per database.
/// Like the SQLite store, one command writes at a time (a session advisory lock instead of a
/// lock file); normalize's workers (`PostgresNormalizeBatches`) write beside it by claiming
/// batches. Errors are E_STORE without bound values, the address shown without its password.
public final class PostgresJobStore {
    let connection: PostgresConnection
    public let address: PostgresAddress
    /// Per-job secret that makes contact ids stable within a job (as in the SQLite store).
    public let salt: String
    /// The sender's claim on messages when this store sends (`PostgresSenderLease`).
    let lease = PostgresSenderLease()

    /// Opens (creating the tables when missing) the job to write: takes the writer lock for the
    /// life of this object, or throws `E_STORE_BUSY` naming the command holding it. Without
    /// `writerLock` (senders and receivers, which claim what they write) no lock is taken.
    public init(
        _ address: PostgresAddress, command: String = CommandLine.arguments.joined(separator: " "), writerLock: Bool = true
    ) throws {
        self.address = address
        connection = try Self.connect(address)
        do {
            try PostgresSchema.migrate(connection)
            if writerLock {
                try Self.takeWriterLock(connection, command: command, address: address)
                // Holding the writer lock, no run can still be going: a run left `running` was killed.
                try connection.execute(
                    "UPDATE runs SET status = $1, finished_at = $2 WHERE status = $3",
                    [RunStatus.failed, Clock.isoNow(), RunStatus.running])
            }
            try connection.execute(
                "INSERT INTO job (id, salt, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
                [SymmetricKey(size: .bits128).withUnsafeBytes { Hex.string($0) }, Clock.isoNow()])
            salt = try connection.execute("SELECT salt FROM job WHERE id = 1").scalarString ?? ""
        } catch {
            throw Self.storeError(error, "cannot open the job store", address: address)
        }
    }

    /// Opens a job that must exist, to read (status, report, trace, diff) or to work beside its
    /// writer (normalize's workers): no writer lock, no migration.
    public init(existing address: PostgresAddress) throws {
        self.address = address
        connection = try Self.connect(address)
        do {
            guard try PostgresSchema.isCurrent(connection) else {
                throw WamigrateError(
                    .store, "the job store on \(address) was not made by this wamigrate (or not made yet)",
                    hint: "run `wamigrate run --store \(address) ...` (or extract) first; it creates and upgrades the tables")
            }
            salt = try connection.execute("SELECT salt FROM job WHERE id = 1").scalarString ?? ""
        } catch {
            throw Self.storeError(error, "cannot read the job store", address: address)
        }
    }

    private static func connect(_ address: PostgresAddress) throws -> PostgresConnection {
        do {
            return try PostgresConnection(address)
        } catch {
            throw storeError(
                error, "cannot connect to the job store", address: address,
                hint: "check the server is up and the URL's user, host, port and database; the password comes from "
                    + "PGPASSWORD or ~/.pgpass, TLS from sslmode=… in the URL")
        }
    }

    /// How long a writer waits for the lock of a command that is going away.
    static let lockWait = "5s"

    private static func takeWriterLock(_ connection: PostgresConnection, command: String, address: PostgresAddress) throws {
        // A holder killed a moment ago keeps the lock until its server process notices the closed
        // connection (at its next read): wait that long, not for a live holder.
        var took = false
        do {
            try connection.run("SET lock_timeout = '\(Self.lockWait)'")
            try connection.execute("SELECT pg_advisory_lock($1)", [PostgresLocks.writer])
            took = true
        } catch let error as PostgresError where error.sqlState == "55P03" {
            took = false
        }
        try connection.run("SET lock_timeout = 0")
        guard took else {
            let holder = try connection.execute("SELECT command, host, pid, since FROM writer_holder WHERE id = 1")
            let who =
                holder.count == 1
                ? "`\(holder.string(0, 0) ?? "")` (pid \(holder.string(0, 2) ?? "?") on \(holder.string(0, 1) ?? "?"), since \(holder.string(0, 3) ?? "?"))"
                : "another command"
            throw WamigrateError(
                .storeBusy, "the job store on \(address) is being written by \(who)",
                hint: "wait for it to finish, or stop it; a killed command's lock goes with its connection")
        }
        try connection.execute(
            """
            INSERT INTO writer_holder (id, command, pid, host, since) VALUES (1, $1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE SET command = $1, pid = $2, host = $3, since = $4
            """,
            [PostgresAddress.redactingPasswords(in: command), Int(getpid()), ProcessInfo.processInfo.hostName, Clock.isoNow()])
    }

    /// Runs `body` in one transaction; failures become E_STORE errors naming the store.
    @discardableResult
    func write<T>(_ body: () throws -> T) throws -> T {
        do {
            return try connection.transaction(body)
        } catch {
            throw Self.storeError(
                error, "job store write failed", address: address,
                hint: "see the message; the stage rolled back and can be run again")
        }
    }

    /// Runs `body` in a read-only, repeatable-read transaction (one snapshot for every query).
    func read<T>(_ body: () throws -> T) throws -> T {
        do {
            try connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            // Before the snapshot (LOCK takes none): dedupe swaps these tables in at its commit,
            // and a snapshot taken before the swap would find the new tables empty.
            try connection.run("LOCK TABLE contacts, contact_rows, conflicts IN ACCESS SHARE MODE")
            defer { try? connection.run("COMMIT") }
            return try body()
        } catch {
            throw Self.storeError(error, "job store read failed", address: address, hint: "check the server and the URL")
        }
    }

    /// Runs `body`'s statements each on its own (autocommit): one round trip each, for what a
    /// sender does per message. Only for a single statement, or reads that need no common
    /// snapshot (the ledger and the identities are only appended to).
    @discardableResult
    func autocommit<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw Self.storeError(error, "job store statement failed", address: address, hint: "check the server and the URL")
        }
    }

    static func storeError(_ error: Error, _ what: String, address: PostgresAddress, hint: String? = nil) -> Error {
        if let error = error as? WamigrateError { return error }
        return WamigrateError(
            .store, "\(what) (\(address)): \(error)", hint: hint ?? "check the server and the URL")
    }
}
