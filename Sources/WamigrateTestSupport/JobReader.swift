import Foundation
import WamigrateStore

/// A job store read through its protocols, never its engine: the end-to-end tests' view of
/// what a command kept, so the same checks run on every engine. Opened without the writer
/// lock, so it reads while a receiver or a send holds it.
public final class JobReader {
    public let store: any JobStoring & JobReading
    public init(_ path: String) throws {
        store = try JobStore(existingAt: path)
    }

    /// The registration answer of one number; nil when none was kept.
    public func registration(_ e164: String) throws -> RegistrationRecord? {
        try store.registrations().first { $0.e164 == e164 }
    }

    /// Bodies the receiver ever spooled (the spool is append-only: its high-water mark), 0 when it never did.
    public func spooled() throws -> Int { Int(try store.spoolWatch().highWater()) }
}

// MARK: - What the output files are written from

extension JobReader {
    /// Contacts with a number, by number (contacts.csv's rows).
    public func contacts() throws -> [ContactOutput] {
        try store.readOutputs { rows in
            var all: [ContactOutput] = []
            try rows.forEachContact { all.append($0) }
            return all
        }
    }

    /// Contacts known only by a Viber id (viber_only.csv's rows).
    public func viberOnly() throws -> [ViberOnlyOutput] {
        try store.readOutputs { rows in
            var all: [ViberOnlyOutput] = []
            try rows.forEachViberOnly { all.append($0) }
            return all
        }
    }

    /// Rows normalize rejected, in input order (rejected_rows.csv's rows).
    public func rejectedRows() throws -> [RejectedOutput] {
        try store.readOutputs { rows in
            var all: [RejectedOutput] = []
            try rows.forEachRejected { all.append($0) }
            return all
        }
    }

    /// Every import list row, in the order import wrote them (the list files' rows).
    public func listEntries() throws -> [ListEntryOutput] {
        try store.readOutputs { rows in
            var all: [ListEntryOutput] = []
            try rows.forEachListEntry { all.append($0) }
            return all
        }
    }
}
