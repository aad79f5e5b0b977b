import Foundation
import GRDB
import WamigrateBase
import WamigrateModel

/// Compares a benchmark run's store with the generator's `truth.csv` (answers known by
/// construction, not by libphonenumber): rows whose E.164 (or rejection) is right,
/// rows given a wrong number, contacts that merge two different people, and people
/// who opted out but come out opted in or on the `whatsapp_ready` list.
public struct TruthCheck {
    public var storePath: String
    public var truthPath: String

    public init(storePath: String, truthPath: String) {
        self.storePath = storePath
        self.truthPath = truthPath
    }

    public struct Figures: Codable, Sendable {
        public var rows = 0
        /// Truth rows that found no input row with their file and record (must be 0).
        public var unmatched = 0
        public var right = 0
        /// A number was given, and it is not the row's number: a message would reach someone else.
        public var wrongE164 = 0
        /// The row holds a recoverable number but was rejected or kept Viber-only.
        public var missed = 0
        /// Rows the tool left for a person to confirm (two valid readings, conflicting
        /// evidence): not a wrong number, not counted right; `reviewWithTruth` of them name
        /// the row's true number among their candidates.
        public var review = 0
        public var reviewWithTruth = 0
        public var contactsMergingPeople = 0
        public var optedOutPeople = 0
        /// People with an opt-out row whose contact is `opted_in` or on `whatsapp_ready`.
        public var optedOutListedOptedIn = 0
        /// Up to 10 wrong rows (synthetic numbers): file:record, cell, country, got, expected.
        public var wrongSamples: [String] = []

        public var rightShare: Double { rows > 0 ? Double(right) / Double(rows) : 0 }
    }

    public func run() throws -> Figures {
        let queue = try DatabaseQueue(path: storePath)
        return try queue.write { db in
            // truth.csv lists the rows in the order extract numbers them (the SMS file, then
            // the Viber file): its line n is input row n. The join checks file and record.
            try db.execute(
                sql: """
                    CREATE TEMP TABLE truth (row_id INTEGER PRIMARY KEY, source TEXT NOT NULL, record INTEGER NOT NULL,
                      person INTEGER NOT NULL, e164 TEXT NOT NULL, consent TEXT NOT NULL)
                    """)
            let insert = try db.makeStatement(sql: "INSERT INTO truth VALUES (?, ?, ?, ?, ?, ?)")
            let reader = try CSVReader(path: truthPath, encoding: .utf8)
            _ = try reader.next()
            var rowID: Int64 = 0
            while let record = try reader.next() {
                let f = record.fields
                guard f.count == 5, let number = Int(f[1]), let person = Int(f[2]) else { continue }
                rowID += 1
                try insert.execute(arguments: [rowID, f[0], number, person, f[3], f[4]])
            }
            try db.execute(
                sql: """
                    CREATE TEMP TABLE judged AS
                    SELECT t.person, t.e164 AS expected, t.consent, t.source, n.e164 AS got, n.outcome, n.candidates,
                      r.id AS row_id,
                      r.phone_raw, r.country_raw, t.record, cr.contact_id
                    FROM truth t JOIN input_rows r ON r.id = t.row_id
                    JOIN sources s ON s.id = r.source_id AND s.name = t.source AND r.record = t.record
                    JOIN normalized_rows n ON n.row_id = r.id
                    LEFT JOIN contact_rows cr ON cr.row_id = r.id
                    """)
            try db.execute(sql: "CREATE INDEX temp.judged_contact ON judged(contact_id)")
            var figures = Figures()
            figures.rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judged") ?? 0
            figures.unmatched = Int(rowID) - figures.rows
            figures.right = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judged WHERE COALESCE(got, '') = expected") ?? 0
            figures.wrongE164 =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judged WHERE got IS NOT NULL AND got != expected") ?? 0
            figures.missed =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM judged WHERE got IS NULL AND expected != '' AND outcome != 'review'") ?? 0
            figures.review = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM judged WHERE outcome = 'review'") ?? 0
            figures.reviewWithTruth =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM judged WHERE outcome = 'review' AND expected != ''
                          AND ' ' || candidates || ' ' LIKE '% ' || expected || ' %'
                        """) ?? 0
            figures.wrongSamples = try Row.fetchAll(
                db,
                sql: """
                    SELECT source, record, phone_raw, COALESCE(country_raw, '') AS country, got, expected FROM judged
                    WHERE got IS NOT NULL AND got != expected ORDER BY row_id LIMIT 10
                    """
            ).map {
                "\($0["source"] as String):\($0["record"] as Int) '\($0["phone_raw"] as String)' country "
                    + "'\($0["country"] as String)' → \($0["got"] as String), truth \($0["expected"] as String)"
            }
            figures.contactsMergingPeople =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM (SELECT contact_id FROM judged WHERE contact_id IS NOT NULL
                          GROUP BY contact_id HAVING COUNT(DISTINCT person) > 1)
                        """) ?? 0
            // An opt-out stated in a row binds the contact that row lands in. (A Viber-only
            // row shares no number or id with the person's SMS rows: no tool can join them.)
            figures.optedOutPeople =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(DISTINCT person) FROM judged WHERE consent = 'opted_out' AND contact_id IS NOT NULL"
                ) ?? 0
            figures.optedOutListedOptedIn =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(DISTINCT j.person) FROM judged j JOIN contacts c ON c.id = j.contact_id
                        WHERE j.consent = 'opted_out' AND (c.consent = 'opted_in'
                          OR c.id IN (SELECT contact_id FROM import_lists WHERE list = 'whatsapp_ready'))
                        """) ?? 0
            return figures
        }
    }
}
