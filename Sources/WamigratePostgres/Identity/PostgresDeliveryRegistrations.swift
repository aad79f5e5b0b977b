import Foundation
import WamigrateModel

/// The delivery-evidence verifier's writes to `registrations` on PostgreSQL, inside one
/// transaction (`PostgresJobStore.recordDeliveryEvidence`): the SQLite store's
/// `SQLiteDeliveryRegistrations`. Each write is one upsert on the number's key, so writers
/// running at once never insert a number twice.
struct PostgresDeliveryRegistrations: DeliveryRegistrations {
    private let connection: PostgresConnection
    /// `registrations.verifier`: delivery-report (files) or webhook.
    private let verifier: String

    init(_ connection: PostgresConnection, verifier: String) {
        self.connection = connection
        self.verifier = verifier
    }

    /// Digits of every contact's number, and of every wa_id already known, to the E.164 number
    /// (a wa_id two numbers' registrations share: the first number's).
    func numberIndex() throws -> [String: String] {
        var index: [String: String] = [:]
        try connection.forEachBatch("SELECT e164 FROM contacts WHERE e164 IS NOT NULL") { rows in
            for row in 0..<rows.count {
                guard let e164 = rows.string(row, 0) else { continue }
                index[String(e164.dropFirst())] = e164
            }
        }
        let known = try connection.execute(
            """
            SELECT r.wa_id, r.e164 FROM registrations r JOIN contacts c ON c.e164 = r.e164 WHERE r.wa_id IS NOT NULL
            ORDER BY r.e164 COLLATE "C"
            """)
        for row in 0..<known.count {
            guard let waID = known.string(row, 0), index[waID] == nil else { continue }
            index[waID] = known.string(row, 1)
        }
        return index
    }

    /// The contact number for a wa_id's digits: a contact with that number, else one whose
    /// registration already carries that wa_id (the point-lookup form of `numberIndex`).
    func number(waID: String) throws -> String? {
        if let e164 = try connection.execute("SELECT e164 FROM contacts WHERE e164 = $1 LIMIT 1", ["+" + waID]).scalarString {
            return e164
        }
        return try connection.execute(
            """
            SELECT r.e164 FROM registrations r JOIN contacts c ON c.e164 = r.e164 WHERE r.wa_id = $1
            ORDER BY r.e164 COLLATE "C" LIMIT 1
            """, [waID]
        ).scalarString
    }

    /// A decisive status: the number is (or is not) on WhatsApp, final; `userID` is the
    /// business-scoped user id (BSUID) the status named, kept beside the wa_id.
    func decide(
        _ e164: String, status: RegistrationStatus, answer: String, waID: String?, userID: String?, at time: Int64,
        reason: String
    ) throws {
        try connection.execute(
            """
            INSERT INTO registrations (e164, status, answer, wa_id, user_id, checked_at, verifier, batch_id, reason, final)
            VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, 1)
            ON CONFLICT (e164) DO UPDATE SET status = EXCLUDED.status, answer = EXCLUDED.answer,
              wa_id = COALESCE(EXCLUDED.wa_id, registrations.wa_id),
              user_id = COALESCE(EXCLUDED.user_id, registrations.user_id), checked_at = EXCLUDED.checked_at,
              verifier = EXCLUDED.verifier, batch_id = NULL, reason = EXCLUDED.reason, final = 1
            """, [e164, status, answer, waID, userID, time, verifier, reason])
    }

    /// A status that says nothing about registration: the reason is kept, the status stays.
    func note(_ e164: String, answer: String, at time: Int64, reason: String) throws {
        try connection.execute(
            """
            INSERT INTO registrations (e164, status, answer, checked_at, verifier, reason, final)
            VALUES ($1, $2, $3, $4, $5, $6, 0)
            ON CONFLICT (e164) DO UPDATE SET reason = EXCLUDED.reason
            """, [e164, RegistrationStatus.unknown, answer, time, verifier, reason])
    }
}

extension PostgresJobStore: DeliveryEvidenceStore {
    public func recordDeliveryEvidence<T>(verifier: String, _ body: (any DeliveryRegistrations) throws -> T) throws -> T {
        try write { try body(PostgresDeliveryRegistrations(connection, verifier: verifier)) }
    }
}
