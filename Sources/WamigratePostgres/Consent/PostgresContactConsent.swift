import Foundation
import WamigrateModel

/// `contacts.consent` is the ledger's state for the contact's addresses (its number, its Viber
/// id and the BSUIDs linked to the number), by the same rule import, campaigns and trace use
/// (`ConsentTally.state`): the SQLite store's `ContactConsent.refresh`. Whenever the ledger says
/// otherwise than dedupe's survivorship, the contact takes the ledger's state, dated by its
/// event, with the rule `ledger`.
extension PostgresJobStore {
    /// Re-derives the contacts with any of these addresses (a BSUID's: the contact of the number
    /// it was seen with, if any yet); returns how many changed. Inside the caller's transaction.
    @discardableResult
    func refreshContactConsent(addresses: [String]) throws -> Int {
        let resolved = try addresses.map { address -> String in
            guard address.hasPrefix("bsuid:") else { return address }
            return try number(forUserID: String(address.dropFirst(6))).map { "+" + $0 } ?? address
        }
        let unique = Array(Set(resolved)).sorted()
        let numbers = unique.filter { $0.hasPrefix("+") }
        let vibers = unique.filter { $0.hasPrefix("viber:") }.map { String($0.dropFirst(6)) }
        guard !numbers.isEmpty || !vibers.isEmpty else { return 0 }
        let contacts = try connection.execute(
            "SELECT id, e164, viber_id, consent FROM contacts WHERE e164 = ANY($1) OR viber_id = ANY($2) ORDER BY seq",
            [PostgresArray(numbers), PostgresArray(vibers)])
        let (idAt, e164At, viberAt, consentAt) = (
            contacts.column("id"), contacts.column("e164"), contacts.column("viber_id"), contacts.column("consent")
        )
        var changed = 0
        for index in 0..<contacts.count {
            let own = [contacts.string(index, e164At), contacts.string(index, viberAt).map { "viber:" + $0 }]
                .compactMap { $0 }
            let tally = try linkedTally(addresses: own, policy: ConsentPolicy())
            guard tally.optIns + tally.optOuts > 0 else { continue }
            let state = tally.state
            guard state.rawValue != contacts.string(index, consentAt) else { continue }
            try connection.execute(
                "UPDATE contacts SET consent = $1, consent_at = $2, consent_row = NULL, consent_rule = 'ledger' WHERE id = $3",
                [state, state == .optedOut ? tally.lastOptOut : tally.lastOptIn, contacts.string(index, idAt)])
            changed += 1
        }
        return changed
    }
}
