import Foundation
import GRDB

/// Who a WhatsApp user is besides their number. A person is never keyed on a BSUID
/// alone (contracts §8.6): the ledger keeps a BSUID-only sender's events under
/// `bsuid:<id>`, and a person's addresses take in every BSUID seen with their number,
/// directly or through a recorded change, so such a STOP reaches them once anything
/// links the two, before or after it arrived.
extension JobStore {
    public func recordIdentities(_ identities: [UserIdentity], changes: [IdentityChange]) throws {
        guard !identities.isEmpty || !changes.isEmpty else { return }
        try write { db in
            let upsert = try db.makeStatement(
                sql: """
                    INSERT INTO user_ids (user_id, wa_id, parent_user_id, username, first_seen, last_seen, source)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (user_id, wa_id) DO UPDATE SET
                      parent_user_id = COALESCE(excluded.parent_user_id, parent_user_id),
                      username = COALESCE(excluded.username, username),
                      first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
                    """)
            for identity in identities where !identity.userID.isEmpty {
                try upsert.execute(arguments: [
                    identity.userID, identity.waID ?? "", identity.parentUserID, identity.username, identity.at, identity.at,
                    identity.source,
                ])
            }
            let change = try db.makeStatement(
                sql: """
                    INSERT OR IGNORE INTO user_id_changes (kind, previous_user_id, user_id, previous_wa_id, wa_id, at, origin)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for item in changes {
                try change.execute(arguments: [
                    item.kind, item.previousUserID, item.userID, item.previousWaID, item.waID, item.at, item.origin,
                ])
            }
            // A BSUID that already has ledger events, now seen with a number: that contact's consent follows.
            var linked: [String] = []
            for identity in identities {
                guard let waID = identity.waID, !waID.isEmpty else { continue }
                let events = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM consent_events WHERE address = ?", arguments: ["bsuid:" + identity.userID])
                if (events ?? 0) > 0 { linked.append("+" + waID) }
            }
            try ContactConsent.refresh(db, addresses: linked)
        }
    }

    /// A person's ledger addresses: the given ones plus `bsuid:<id>` for every BSUID linked to
    /// a `+E164` among them (seen with that number, or with a number it changed to or from, or
    /// a BSUID it changed from or to).
    static func linkedAddresses(_ db: Database, _ addresses: [String]) throws -> [String] {
        let numbers = addresses.filter { $0.hasPrefix("+") }.map { String($0.dropFirst()) }
        guard !numbers.isEmpty else { return addresses }
        let ids = try String.fetchAll(
            db,
            sql: """
                WITH RECURSIVE numbers(wa_id) AS (
                  SELECT value FROM json_each(?)
                  UNION SELECT wa_id FROM registrations WHERE e164 IN (SELECT '+' || value FROM json_each(?))
                    AND wa_id IS NOT NULL
                  UNION SELECT c.wa_id FROM user_id_changes c JOIN numbers n ON c.previous_wa_id = n.wa_id
                    WHERE c.wa_id IS NOT NULL
                  UNION SELECT c.previous_wa_id FROM user_id_changes c JOIN numbers n ON c.wa_id = n.wa_id
                    WHERE c.previous_wa_id IS NOT NULL
                ),
                ids(user_id) AS (
                  SELECT user_id FROM user_ids WHERE wa_id IN (SELECT wa_id FROM numbers)
                  UNION SELECT c.user_id FROM user_id_changes c JOIN ids i ON c.previous_user_id = i.user_id
                    WHERE c.user_id IS NOT NULL
                  UNION SELECT c.previous_user_id FROM user_id_changes c JOIN ids i ON c.user_id = i.user_id
                    WHERE c.previous_user_id IS NOT NULL
                )
                SELECT user_id FROM ids
                """,
            arguments: [Self.jsonArray(numbers), Self.jsonArray(numbers)])
        return addresses + ids.map { "bsuid:" + $0 }
    }

    /// The number (digits) a BSUID was last seen with, directly or through a change.
    static func number(forUserID userID: String, _ db: Database) throws -> String? {
        try String.fetchOne(
            db,
            sql: """
                WITH RECURSIVE ids(user_id) AS (
                  SELECT ?
                  UNION SELECT c.previous_user_id FROM user_id_changes c JOIN ids i ON c.user_id = i.user_id
                    WHERE c.previous_user_id IS NOT NULL
                  UNION SELECT c.user_id FROM user_id_changes c JOIN ids i ON c.previous_user_id = i.user_id
                    WHERE c.user_id IS NOT NULL
                )
                SELECT wa_id FROM user_ids WHERE user_id IN (SELECT user_id FROM ids) AND wa_id != ''
                ORDER BY last_seen DESC LIMIT 1
                """, arguments: [userID])
    }

    private static func jsonArray(_ items: [String]) -> String {
        (try? String(data: JSONSerialization.data(withJSONObject: items), encoding: .utf8)) ?? "[]"
    }
}

extension JobStore {
    /// Set when the newest number change involving this number moved the person away from it:
    /// the old number may be someone else's now, so a send must not go to it.
    public func numberMove(from e164: String) throws -> NumberMove? {
        let digits = String(e164.filter(\.isNumber))
        return try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT previous_wa_id, wa_id, user_id FROM user_id_changes
                        WHERE kind = 'user_changed_number' AND (previous_wa_id = ? OR wa_id = ?)
                        ORDER BY COALESCE(at, 0) DESC, id DESC LIMIT 1
                        """, arguments: [digits, digits]),
                row["previous_wa_id"] as String? == digits
            else { return nil }
            let newWaID: String? = row["wa_id"]
            var userID: String? = row["user_id"]
            if userID == nil {
                userID = try String.fetchOne(
                    db, sql: "SELECT user_id FROM user_ids WHERE wa_id IN (?, ?) ORDER BY last_seen DESC LIMIT 1",
                    arguments: [digits, newWaID ?? digits])
            }
            // Follow user id changes to the newest (a bounded walk: chains are short, cycles are cut).
            var seen: Set<String> = []
            while let current = userID, seen.insert(current).inserted,
                let next = try String.fetchOne(
                    db,
                    sql: """
                        SELECT user_id FROM user_id_changes WHERE kind = 'user_changed_user_id' AND previous_user_id = ?
                          AND user_id IS NOT NULL ORDER BY COALESCE(at, 0) DESC, id DESC LIMIT 1
                        """, arguments: [current]), !seen.contains(next)
            {
                userID = next
            }
            return NumberMove(userID: userID, newWaID: newWaID)
        }
    }
}
