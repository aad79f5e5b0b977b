import GRDB
import WamigrateBase

/// The delivery-report verifier's writes to `registrations`, inside one
/// transaction (`JobStore.recordDeliveryEvidence`).
struct SQLiteDeliveryRegistrations: DeliveryRegistrations {
    private let db: Database
    private let upsert: Statement
    private let keepReason: Statement
    /// `registrations.verifier`: delivery-report (files) or webhook.
    private let verifier: String

    init(_ db: Database, verifier: String) throws {
        self.db = db
        self.verifier = verifier
        upsert = try db.makeStatement(
            sql: """
                INSERT INTO registrations (e164, status, answer, wa_id, user_id, checked_at, verifier, batch_id, reason,
                  final)
                VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, 1)
                ON CONFLICT(e164) DO UPDATE SET status = excluded.status, answer = excluded.answer,
                  wa_id = COALESCE(excluded.wa_id, registrations.wa_id),
                  user_id = COALESCE(excluded.user_id, registrations.user_id), checked_at = excluded.checked_at,
                  verifier = excluded.verifier, batch_id = NULL, reason = excluded.reason, final = 1
                """)
        keepReason = try db.makeStatement(
            sql: """
                INSERT INTO registrations (e164, status, answer, checked_at, verifier, reason, final)
                VALUES (?, ?, ?, ?, ?, ?, 0)
                ON CONFLICT(e164) DO UPDATE SET reason = excluded.reason
                """)
    }

    /// Digits of every contact's number, and of every wa_id already known, to the E.164 number.
    public func numberIndex() throws -> [String: String] {
        var index: [String: String] = [:]
        for e164 in try String.fetchAll(db, sql: "SELECT e164 FROM contacts WHERE e164 IS NOT NULL") {
            index[String(e164.dropFirst())] = e164
        }
        let known = try Row.fetchAll(
            db, sql: "SELECT r.wa_id, r.e164 FROM registrations r JOIN contacts c ON c.e164 = r.e164 WHERE r.wa_id IS NOT NULL")
        for row in known where index[row["wa_id"] as String] == nil { index[row["wa_id"]] = row["e164"] }
        return index
    }

    /// The contact number for a wa_id's digits: a contact with that number, else one whose
    /// registration already carries that wa_id (the point-lookup form of `numberIndex`).
    public func number(waID: String) throws -> String? {
        if let e164 = try String.fetchOne(db, sql: "SELECT e164 FROM contacts WHERE e164 = ?", arguments: ["+" + waID]) {
            return e164
        }
        return try String.fetchOne(
            db, sql: "SELECT r.e164 FROM registrations r JOIN contacts c ON c.e164 = r.e164 WHERE r.wa_id = ? LIMIT 1",
            arguments: [waID])
    }

    /// A decisive status: the number is (or is not) on WhatsApp, final; `userID` is the
    /// business-scoped user id (BSUID) the status named, kept beside the wa_id.
    public func decide(
        _ e164: String, status: RegistrationStatus, answer: String, waID: String?, userID: String?,
        at time: Int64, reason: String
    ) throws {
        try upsert.execute(arguments: [e164, status, answer, waID, userID, time, verifier, reason])
    }

    /// A status that says nothing about registration: the reason is kept, the status stays.
    public func note(_ e164: String, answer: String, at time: Int64, reason: String) throws {
        try keepReason.execute(arguments: [e164, RegistrationStatus.unknown, answer, time, verifier, reason])
    }
}

extension JobStore {
    public func recordDeliveryEvidence<T>(verifier: String, _ body: (any DeliveryRegistrations) throws -> T) throws -> T {
        try write { db in try body(SQLiteDeliveryRegistrations(db, verifier: verifier)) }
    }
}
