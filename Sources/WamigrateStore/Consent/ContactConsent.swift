import GRDB

/// `contacts.consent` is the ledger's state for the contact's addresses (its number
/// and its Viber id), every source counted, by the same rule import, campaigns and
/// trace use (`ConsentTally.state`). Dedupe's survivorship gives the first value
/// and the row it came from; whenever the ledger says otherwise (a campaign STOP, a
/// gateway unsubscribe, an earlier export of another file) the contact takes the
/// ledger's state, dated by its event, with the rule `ledger`.
public enum ContactConsent {
    /// Re-derives the contacts with any of these addresses; returns how many changed.
    @discardableResult
    static func refresh(_ db: Database, addresses: [String]) throws -> Int {
        var changed = 0
        // A BSUID's events belong to the contact of the number it was seen with, if any yet.
        let resolved = try addresses.map { address -> String in
            guard address.hasPrefix("bsuid:") else { return address }
            return try JobStore.number(forUserID: String(address.dropFirst(6)), db).map { "+" + $0 } ?? address
        }
        let unique = Array(Set(resolved))
        for start in stride(from: 0, to: unique.count, by: 400) {
            let chunk = Array(unique[start..<min(unique.count, start + 400)])
            let numbers = chunk.filter { $0.hasPrefix("+") }
            let vibers = chunk.filter { $0.hasPrefix("viber:") }.map { String($0.dropFirst(6)) }
            let marks = { (n: Int) in n == 0 ? "NULL" : Array(repeating: "?", count: n).joined(separator: ", ") }
            let contacts = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, e164, viber_id, consent FROM contacts
                    WHERE e164 IN (\(marks(numbers.count))) OR viber_id IN (\(marks(vibers.count)))
                    """, arguments: StatementArguments(numbers + vibers))
            for contact in contacts {
                let own = [contact["e164"] as String?, (contact["viber_id"] as String?).map { "viber:" + $0 }].compactMap { $0 }
                let tally = try JobStore.tally(db, addresses: own, policy: ConsentPolicy())
                guard tally.optIns + tally.optOuts > 0 else { continue }
                let state = tally.state
                guard state.rawValue != contact["consent"] as String else { continue }
                try db.execute(
                    sql: """
                        UPDATE contacts SET consent = ?, consent_at = ?, consent_row = NULL, consent_rule = 'ledger'
                        WHERE id = ?
                        """,
                    arguments: [state, state == .optedOut ? tally.lastOptOut : tally.lastOptIn, contact["id"] as String])
                changed += 1
            }
        }
        return changed
    }

    /// After dedupe: the contacts whose addresses hold events other than the
    /// consent cells of the files just extracted. Two index counts tell whether
    /// there are any (a fresh job has none) before the ledger is scanned.
    static func refreshAfterDedupe(_ db: Database, exportEventsOfThisExtract: Int) throws -> Int {
        let export = ConsentEvent.Method.export
        let others = try SQLRequest<Int>("SELECT COUNT(*) FROM consent_events WHERE method != \(export)").fetchOne(db) ?? 0
        let exports = try SQLRequest<Int>("SELECT COUNT(*) FROM consent_events WHERE method = \(export)").fetchOne(db) ?? 0
        guard others > 0 || exports > exportEventsOfThisExtract else { return 0 }
        let addresses = try SQLRequest<String>(
            """
            SELECT DISTINCT address FROM consent_events
            WHERE method != \(export) OR substr(ref, 1, 16) NOT IN (SELECT substr(sha256, 1, 16) FROM sources)
            """
        ).fetchAll(db)
        return try refresh(db, addresses: addresses)
    }
}
