import Foundation
import GRDB

// MARK: - Registrations

extension JobStore: RegistrationReading {
    public func registrations() throws -> [RegistrationRecord] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT e164, status, answer, wa_id, user_id, verifier, reason FROM registrations ORDER BY e164"
            ).map { row in
                RegistrationRecord(
                    e164: row["e164"], status: row["status"], answer: row["answer"], waID: row["wa_id"],
                    userID: row["user_id"], verifier: row["verifier"], reason: row["reason"])
            }
        }
    }
}

// MARK: - Identities and limits

extension JobStore: IdentityReading {
    public func userIdentities() throws -> [UserIdentity] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT user_id, wa_id, parent_user_id, username, last_seen, source FROM user_ids ORDER BY user_id, wa_id"
            ).map { row in
                let waID: String = row["wa_id"]
                return UserIdentity(
                    userID: row["user_id"], waID: waID.isEmpty ? nil : waID, parentUserID: row["parent_user_id"],
                    username: row["username"], at: row["last_seen"], source: row["source"])
            }
        }
    }

    public func identityChanges() throws -> [IdentityChange] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT kind, previous_user_id, user_id, previous_wa_id, wa_id, at, origin FROM user_id_changes ORDER BY id"
            ).map { row in
                IdentityChange(
                    kind: row["kind"], previousUserID: row["previous_user_id"], userID: row["user_id"],
                    previousWaID: row["previous_wa_id"], waID: row["wa_id"], at: row["at"], origin: row["origin"])
            }
        }
    }

    public func platformLimits() throws -> [PlatformLimit] {
        try read { db in
            try PlatformLimit.fetchAll(db, sql: "SELECT field, event, tier, raw, at, origin FROM platform_limits ORDER BY id")
        }
    }
}

// MARK: - The ledger

extension JobStore: LedgerReading {
    public func consentEvents() throws -> [ConsentEvent] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM consent_events ORDER BY id").map(ConsentEvent.init(row:)) }
    }
}

// MARK: - Runs

extension JobStore: RunReading {
    public func runs() throws -> [RunRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, r.command, r.status,
                      EXISTS (SELECT 1 FROM run_manifests m WHERE m.run_id = r.id)
                        AND EXISTS (SELECT 1 FROM run_contacts c WHERE c.run_id = r.id) AS audited
                    FROM runs r ORDER BY r.id
                    """
            ).map { row in
                RunRecord(id: row["id"], command: row["command"], status: row["status"], audited: row["audited"])
            }
        }
    }
}

// MARK: - The webhook inbox

extension JobStore: InboxReading {
    public func inboxBodies() throws -> [InboxBody] {
        try read { db in
            try InboxBody.fetchAll(db, sql: "SELECT id, origin, body, received_at FROM webhook_inbox ORDER BY id")
        }
    }
}

// MARK: - Verify batches

extension JobStore: BatchReading {
    public func verifyBatchRecords() throws -> [VerifyBatchRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, state, size, requests FROM verify_batches ORDER BY id").map { row in
                VerifyBatchRecord(id: row["id"], state: row["state"], size: row["size"], requests: row["requests"])
            }
        }
    }
}
