import Foundation

/// Rows for `COPY … FROM STDIN` in text format: fields separated by tabs, rows by newlines,
/// NULL as `\N`, and backslash, tab, newline and carriage return escaped in values. Sent in
/// chunks of 64 KiB; `finish()` ends the copy (a copy dropped unfinished is aborted).
final class PostgresCopy {
    private var buffer: [UInt8] = []
    private var field = 0
    private let columns: Int
    private let connection: PostgresConnection
    private var open = true
    private(set) var rows = 0

    init(columns: Int, connection: PostgresConnection) {
        self.columns = columns
        self.connection = connection
        buffer.reserveCapacity(1 << 17)
    }

    deinit { if open { try? connection.endCopy(failure: "wamigrate stopped the copy") } }

    func add(_ value: (any PostgresBindable)?) throws {
        if field > 0 { buffer.append(0x09) }
        if let text = value?.postgresText {
            for byte in text.utf8 {
                switch byte {
                case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
                case 0x09: buffer.append(contentsOf: [0x5C, 0x74])
                case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: buffer.append(contentsOf: [0x5C, 0x72])
                default: buffer.append(byte)
                }
            }
        } else {
            buffer.append(contentsOf: [0x5C, 0x4E])
        }
        field += 1
        if field == columns {
            buffer.append(0x0A)
            field = 0
            rows += 1
            if buffer.count >= 1 << 16 { try send() }
        }
    }

    private func send() throws {
        guard !buffer.isEmpty else { return }
        guard connection.sendCopyData(buffer) else {
            throw PostgresError(sqlState: "08000", message: "the server stopped taking the copy")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Sends what is buffered and ends the copy; the rows are then in the transaction.
    func finish() throws {
        precondition(field == 0, "a COPY row was left with \(field) of \(columns) fields")
        try send()
        open = false
        try connection.endCopy(failure: nil)
    }
}
