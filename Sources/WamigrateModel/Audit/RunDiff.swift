import Foundation
import WamigrateBase

/// `wamigrate diff A B`: what changed between two runs' contact snapshots.
/// Contact ids are stable within a job, so a contact is the same contact in
/// both runs exactly when its id is. Samples show masked numbers only.
public struct RunDiff: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var contact: String
        public var contactID: String
        public var detail: String
    }

    public struct Move: Codable, Sendable {
        public var from: String
        public var to: String
        public var contacts: Int
    }

    public var from: Int64
    public var to: Int64
    public var contactsFrom = 0
    public var contactsTo = 0
    public var added = 0
    public var removed = 0
    public var changed = 0
    /// Contacts whose field changed, per field (a contact can count under several).
    public var changedFields: [String: Int] = [:]
    public var moved: [Move] = []
    public var lists: [String: [Int]] = [:]
    public var rowsRejected: [Int] = []
    public var samples: [String: [Entry]] = [:]

    /// The diff of two runs' snapshots, read in one read transaction (`path` names the store in errors).
    public static func compute(
        from: Int64, to: Int64, sample: Int, masker: Masker, db: some AuditSQLReader, path: String
    ) throws -> RunDiff {
        let count = "SELECT COUNT(*) AS n FROM run_contacts WHERE run_id = ?"
        for run in [from, to] {
            guard try db.integer(count, [.integer(run)], column: "n") ?? 0 > 0 else {
                let known = try db.rows("SELECT DISTINCT run_id FROM run_contacts ORDER BY 1", []).compactMap {
                    $0.integer("run_id").map { "#\($0)" }
                }
                throw WamigrateError(
                    .usage,
                    "run #\(run) has no contact snapshot (it failed, stopped before dedupe, or is not in this store)",
                    hint: "runs with a snapshot: \(known.isEmpty ? "none" : known.joined(separator: ", "))",
                    at: .init(file: path))
            }
        }
        var diff = RunDiff(from: from, to: to)
        diff.contactsFrom = Int(try db.integer(count, [.integer(from)], column: "n") ?? 0)
        diff.contactsTo = Int(try db.integer(count, [.integer(to)], column: "n") ?? 0)
        try diff.addAddedAndRemoved(db, sample: sample, masker: masker)
        try diff.addChanges(db, sample: sample, masker: masker)
        // By side, not by run id: `diff N N` compares a run with itself (nothing changed).
        for (side, run) in [from, to].enumerated() {
            for row in try db.rows(
                """
                SELECT COALESCE(list, 'no list') AS list, COUNT(*) AS count FROM run_contacts WHERE run_id = ?
                GROUP BY 1
                """,
                [.integer(run)])
            {
                diff.lists[row.text("list") ?? "", default: [0, 0]][side] = row.int("count") ?? 0
            }
            diff.rowsRejected.append(try RunManifest.load(from: db, run: run)?.books.rejected ?? 0)
        }
        return diff
    }

    private mutating func addAddedAndRemoved(_ db: some AuditSQLReader, sample: Int, masker: Masker) throws {
        let only = """
            SELECT x.contact_id, x.address, x.masked, COALESCE(x.list, 'no list') AS list FROM run_contacts x
            WHERE x.run_id = ?
            AND NOT EXISTS (SELECT 1 FROM run_contacts y WHERE y.run_id = ? AND y.contact_id = x.contact_id)
            ORDER BY x.contact_id\(db.byteOrder)
            """
        let added = try db.rows(only, [.integer(to), .integer(from)])
        let removed = try db.rows(only, [.integer(from), .integer(to)])
        self.added = added.count
        self.removed = removed.count
        samples["added"] = added.prefix(sample).map {
            Entry(
                contact: Self.shown($0, masker: masker), contactID: $0.text("contact_id") ?? "",
                detail: "in \($0.text("list") ?? "")")
        }
        samples["removed"] = removed.prefix(sample).map {
            Entry(
                contact: Self.shown($0, masker: masker), contactID: $0.text("contact_id") ?? "",
                detail: "was in \($0.text("list") ?? "")")
        }
    }

    /// Contacts in both runs: the fields that changed and the moves between lists.
    private mutating func addChanges(_ db: some AuditSQLReader, sample: Int, masker: Masker) throws {
        let changedExpression = RunSnapshot.fields.map {
            "CASE WHEN a.\($0) \(db.differs) b.\($0) THEN '\($0) ' ELSE '' END"
        }.joined(separator: " || ")
        var changedSamples: [Entry] = []
        var movedSamples: [Entry] = []
        var moves: [String: Int] = [:]
        try db.forEachRow(
            """
            SELECT b.contact_id, b.address, b.masked, COALESCE(a.list, 'no list') AS list_from,
              COALESCE(b.list, 'no list') AS list_to, \(changedExpression) AS changed
            FROM run_contacts a JOIN run_contacts b ON b.contact_id = a.contact_id AND b.run_id = ?
            WHERE a.run_id = ? ORDER BY b.contact_id\(db.byteOrder)
            """, [.integer(to), .integer(from)]
        ) { row in
            let id = row.text("contact_id") ?? ""
            let listFrom = row.text("list_from") ?? ""
            let listTo = row.text("list_to") ?? ""
            let fields = (row.text("changed") ?? "").split(separator: " ").map(String.init)
            if listFrom != listTo {
                moves["\(listFrom)\t\(listTo)", default: 0] += 1
                if movedSamples.count < sample {
                    movedSamples.append(
                        Entry(
                            contact: Self.shown(row, masker: masker), contactID: id, detail: "\(listFrom) → \(listTo)"))
                }
            }
            if !fields.isEmpty {
                changed += 1
                for field in fields { changedFields[Self.display(field), default: 0] += 1 }
                if changedSamples.count < sample {
                    changedSamples.append(
                        Entry(
                            contact: Self.shown(row, masker: masker), contactID: id,
                            detail: fields.map(Self.display).joined(separator: ", ")))
                }
            }
        }
        samples["changed"] = changedSamples
        samples["moved"] = movedSamples
        moved = moves.sorted { $0.key < $1.key }.map {
            let parts = $0.key.split(separator: "\t").map(String.init)
            return Move(from: parts[0], to: parts[1], contacts: $0.value)
        }
    }

    /// The contact as a sample shows it: its `address` masked (snapshots made before
    /// addresses were kept hold the masked text itself, in `masked`).
    static func shown(_ row: any AuditSQLRow, masker: Masker) -> String {
        if let address = row.text("address") { return masker.address(address) }
        return row.text("masked") ?? ""
    }

    /// `name_digest` → `name`: the snapshot keeps digests, the change is to the field.
    public static func display(_ column: String) -> String {
        column.hasSuffix("_digest") ? String(column.dropLast(7)) : column
    }

    public var text: String {
        var lines = [
            "diff run #\(from) → run #\(to): contacts \(contactsFrom) → \(contactsTo)",
            "  added \(added), removed \(removed), changed \(changed), "
                + "moved between lists \(moved.reduce(0) { $0 + $1.contacts })",
            "  rows rejected by normalize: \(rowsRejected.first ?? 0) → \(rowsRejected.last ?? 0)",
        ]
        if !lists.isEmpty {
            lines.append("lists:")
            for (list, counts) in lists.sorted(by: { $0.key < $1.key }) {
                let delta = counts[1] - counts[0]
                lines.append("  \(list): \(counts[0]) → \(counts[1]) (\(delta >= 0 ? "+" : "")\(delta))")
            }
        }
        if !changedFields.isEmpty {
            lines.append(
                "changed fields: "
                    + changedFields.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if !moved.isEmpty {
            lines.append("moved:")
            for move in moved { lines.append("  \(move.from) → \(move.to): \(move.contacts)") }
        }
        for kind in ["added", "removed", "changed", "moved"] {
            guard let entries = samples[kind], !entries.isEmpty else { continue }
            lines.append("sample \(kind):")
            for entry in entries { lines.append("  \(entry.contact)  \(entry.contactID)  \(entry.detail)") }
        }
        return lines.joined(separator: "\n")
    }
}
