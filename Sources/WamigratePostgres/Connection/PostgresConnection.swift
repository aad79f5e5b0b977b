import CPostgres
import Foundation

/// One libpq connection, the Swift owner of its `PGconn` (closed in `deinit`). Synchronous, one
/// thread at a time, as the SQLite store's connection; `cancel()` alone may come from another.
final class PostgresConnection {
    private let handle: OpaquePointer
    private let canceller: OpaquePointer?
    let address: PostgresAddress

    init(_ address: PostgresAddress) throws {
        self.address = address
        guard let handle = PQconnectdb(address.url) else {
            throw PostgresError(sqlState: "08000", message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            var message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            // libpq quotes a URL it cannot parse, password included.
            if let password = address.password { message = message.replacingOccurrences(of: password, with: "***") }
            PQfinish(handle)
            throw PostgresError(sqlState: "08001", message: message)
        }
        self.handle = handle
        canceller = PQgetCancel(handle)
        // Messages without DETAIL (which quotes values) wherever libpq composes them.
        PQsetErrorVerbosity(handle, PQERRORS_TERSE)
        // Notices (e.g. "relation already exists, skipping") are not the user's business.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        // Every cursor here is read to its end: plan for all its rows, not a fast first few.
        try run(
            """
            SET client_encoding = 'UTF8'; SET client_min_messages = warning; SET TIME ZONE 'UTC';
            SET cursor_tuple_fraction = 1
            """)
    }

    deinit {
        if let canceller { PQfreeCancel(canceller) }
        PQfinish(handle)
    }

    /// True when the server is gone from this connection (cut, restarted): only a new one helps.
    var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

    /// Runs one statement with its parameters (text form) and returns its rows.
    @discardableResult
    func execute(_ sql: String, _ values: [any PostgresBindable] = []) throws -> PostgresRows {
        let texts = values.map(\.postgresText)
        let result = withCStrings(texts) { pointers in
            PQexecParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
        }
        return try checked(result)
    }

    /// Runs SQL text without parameters, several statements at once (schema, settings).
    func run(_ sql: String) throws {
        _ = try checked(PQexec(handle, sql))
    }

    /// The result's rows, or its error when it failed (the result is freed then).
    private func checked(_ result: OpaquePointer?) throws -> PostgresRows {
        switch result.map(PQresultStatus) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN:
            return PostgresRows(result!)
        default:
            let error = PostgresError(result: result, connection: handle)
            PQclear(result)
            throw error
        }
    }

    /// Stops the statement now running on this connection, from another thread.
    func cancel() {
        guard let canceller else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(canceller, &buffer, Int32(buffer.count))
    }

    // MARK: - Transactions

    /// `body` inside BEGIN … COMMIT, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN")
        do {
            let value = try body()
            try run("COMMIT")
            return value
        } catch {
            try? run("ROLLBACK")
            throw error
        }
    }

    // MARK: - Bulk

    /// Starts `COPY table (columns) FROM STDIN` (text format); rows go through the returned
    /// copy, which `finish()` ends. Nothing else may run on this connection until then.
    func startCopy(into table: String, columns: [String]) throws -> PostgresCopy {
        _ = try execute("COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN")
        return PostgresCopy(columns: columns.count, connection: self)
    }

    /// Sends a chunk of COPY data; false when the server stopped taking it.
    func sendCopyData(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) == 1 }
        }
    }

    /// Ends the COPY: `failure` nil commits its rows to the transaction, else aborts it.
    func endCopy(failure: String?) throws {
        guard PQputCopyEnd(handle, failure) == 1 else {
            throw PostgresError(sqlState: "08000", message: String(cString: PQerrorMessage(handle)))
        }
        var error: PostgresError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, error == nil {
                error = PostgresError(result: result, connection: handle)
            }
            PQclear(result)
        }
        if let error, failure == nil { throw error }
    }

    // MARK: - Reading in batches

    /// Streams a query's rows in batches of `size` through a cursor (inside the caller's
    /// transaction): memory stays bounded however many rows the query returns.
    func forEachBatch(
        _ sql: String, _ values: [any PostgresBindable] = [], size: Int = 10_000,
        _ body: (PostgresRows) throws -> Void
    ) throws {
        let name = "wm_cursor_\(UInt32.random(in: 0...UInt32.max))"
        try execute("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)", values)
        defer { try? run("CLOSE \(name)") }
        while true {
            let rows = try execute("FETCH FORWARD \(size) FROM \(name)")
            if rows.count == 0 { return }
            try body(rows)
        }
    }
}

/// Calls `body` with C strings for `texts` (nil stays a null pointer: SQL NULL).
private func withCStrings<R>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let owned: [UnsafeMutablePointer<CChar>?] = texts.map { $0.map { strdup($0) } ?? nil }
    defer { for pointer in owned { free(pointer) } }
    return body(owned.map { $0.map { UnsafePointer($0) } })
}
