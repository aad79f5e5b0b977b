import Foundation
import WamigrateModel

/// Who a WhatsApp user is besides their number, on PostgreSQL: the SQLite store's
/// `UserIdentities`. A person is never keyed on a BSUID alone: the ledger keeps a BSUID-only
/// sender's events under `bsuid:<id>`, and a person's addresses take in every BSUID seen with
/// their number, directly or through a recorded change. PostgreSQL lets a recursive term name
/// its own table once, so each walk's two directions are one join and two rows.
extension PostgresJobStore {
    public func recordIdentities(_ identities: [UserIdentity], changes: [IdentityChange]) throws {
        guard !identities.isEmpty || !changes.isEmpty else { return }
        try write {
            for identity in identities where !identity.userID.isEmpty {
                try connection.execute(
                    """
                    INSERT INTO user_ids (user_id, wa_id, parent_user_id, username, first_seen, last_seen, source)
                    VALUES ($1, $2, $3, $4, $5, $5, $6)
                    ON CONFLICT (user_id, wa_id) DO UPDATE SET
                      parent_user_id = COALESCE(EXCLUDED.parent_user_id, user_ids.parent_user_id),
                      username = COALESCE(EXCLUDED.username, user_ids.username),
                      first_seen = LEAST(user_ids.first_seen, EXCLUDED.first_seen),
                      last_seen = GREATEST(user_ids.last_seen, EXCLUDED.last_seen)
                    """,
                    [
                        identity.userID, identity.waID ?? "", identity.parentUserID, identity.username, identity.at,
                        identity.source,
                    ])
            }
            for item in changes {
                try connection.execute(
                    """
                    INSERT INTO user_id_changes (kind, previous_user_id, user_id, previous_wa_id, wa_id, at, origin)
                    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                    """,
                    [item.kind, item.previousUserID, item.userID, item.previousWaID, item.waID, item.at, item.origin])
            }
            // A BSUID that already has ledger events, now seen with a number: that contact's consent follows.
            let seen = identities.filter { !($0.waID ?? "").isEmpty }
            guard !seen.isEmpty else { return }
            let rows = try connection.execute(
                "SELECT DISTINCT address FROM consent_events WHERE address = ANY($1)",
                [PostgresArray(seen.map { "bsuid:" + $0.userID })])
            let withEvents = Set((0..<rows.count).compactMap { rows.string($0, 0) })
            let linked = seen.filter { withEvents.contains("bsuid:" + $0.userID) }.map { "+" + ($0.waID ?? "") }
            try refreshContactConsent(addresses: linked)
        }
    }

    /// A person's ledger addresses: the given ones plus `bsuid:<id>` for every BSUID linked to
    /// a `+E164` among them (seen with that number, or with a number it changed to or from, or
    /// a BSUID it changed from or to). Inside the caller's transaction.
    func linkedAddresses(_ addresses: [String]) throws -> [String] {
        let numbers = addresses.filter { $0.hasPrefix("+") }
        guard !numbers.isEmpty else { return addresses }
        let ids = try connection.execute(
            """
            WITH RECURSIVE numbers(wa_id) AS (
              SELECT substr(a, 2) FROM unnest($1::text[]) a
              UNION SELECT wa_id FROM registrations WHERE e164 = ANY($1::text[]) AND wa_id IS NOT NULL
              UNION SELECT x.wa_id FROM numbers n
                JOIN user_id_changes c ON c.previous_wa_id = n.wa_id OR c.wa_id = n.wa_id
                CROSS JOIN LATERAL (VALUES
                  (CASE WHEN c.previous_wa_id = n.wa_id THEN c.wa_id END),
                  (CASE WHEN c.wa_id = n.wa_id THEN c.previous_wa_id END)) x(wa_id)
                WHERE x.wa_id IS NOT NULL
            ),
            ids(user_id) AS (
              SELECT user_id FROM user_ids WHERE wa_id IN (SELECT wa_id FROM numbers)
              UNION \(Self.userIDStep)
            )
            SELECT user_id FROM ids
            """, [PostgresArray(numbers)])
        return addresses + (0..<ids.count).compactMap { ids.string($0, 0) }.map { "bsuid:" + $0 }
    }

    /// The number (digits) a BSUID was last seen with, directly or through a change; among
    /// equally recent ones the first by user id and number, as SQLite's scan of its key finds it.
    func number(forUserID userID: String) throws -> String? {
        try connection.execute(
            """
            WITH RECURSIVE ids(user_id) AS (
              SELECT $1::text
              UNION \(Self.userIDStep)
            )
            SELECT wa_id FROM user_ids WHERE user_id IN (SELECT user_id FROM ids) AND wa_id != ''
            ORDER BY last_seen DESC, user_id COLLATE "C", wa_id COLLATE "C" LIMIT 1
            """, [userID]
        ).scalarString
    }

    /// The recursive step of a walk over `ids(user_id)`: the BSUIDs a recorded change of user id
    /// leads to, or came from.
    private static let userIDStep = """
        SELECT x.user_id FROM ids i
          JOIN user_id_changes c ON c.previous_user_id = i.user_id OR c.user_id = i.user_id
          CROSS JOIN LATERAL (VALUES
            (CASE WHEN c.previous_user_id = i.user_id THEN c.user_id END),
            (CASE WHEN c.user_id = i.user_id THEN c.previous_user_id END)) x(user_id)
          WHERE x.user_id IS NOT NULL
        """

    /// Set when the newest number change involving this number moved the person away from it:
    /// the old number may be someone else's now, so a send must not go to it.
    public func numberMove(from e164: String) throws -> NumberMove? {
        let digits = String(e164.filter(\.isNumber))
        return try autocommit {
            let change = try connection.execute(
                """
                SELECT previous_wa_id, wa_id, user_id FROM user_id_changes
                WHERE kind = 'user_changed_number' AND (previous_wa_id = $1 OR wa_id = $1)
                ORDER BY COALESCE(at, 0) DESC, id DESC LIMIT 1
                """, [digits])
            guard change.count == 1, change.string(0, change.column("previous_wa_id")) == digits else { return nil }
            let newWaID = change.string(0, change.column("wa_id"))
            var userID = change.string(0, change.column("user_id"))
            if userID == nil {
                // Among equally recent ones, the first by number (SQLite reads its wa_id index).
                userID =
                    try connection.execute(
                        """
                        SELECT user_id FROM user_ids WHERE wa_id IN ($1, $2)
                        ORDER BY last_seen DESC, wa_id COLLATE "C", user_id COLLATE "C" LIMIT 1
                        """, [digits, newWaID ?? digits]
                    ).scalarString
            }
            // Follow user id changes to the newest (a bounded walk: chains are short, cycles are cut).
            var seen: Set<String> = []
            while let current = userID, seen.insert(current).inserted,
                let next = try connection.execute(
                    """
                    SELECT user_id FROM user_id_changes WHERE kind = 'user_changed_user_id' AND previous_user_id = $1
                      AND user_id IS NOT NULL ORDER BY COALESCE(at, 0) DESC, id DESC LIMIT 1
                    """, [current]
                ).scalarString, !seen.contains(next)
            {
                userID = next
            }
            return NumberMove(userID: userID, newWaID: newWaID)
        }
    }
}
