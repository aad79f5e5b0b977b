import GRDB
import WamigrateModel

extension ConsentEvent {
    init(row: Row) {
        self.init(
            address: row["address"], contactID: row["contact_id"], channel: row["channel"],
            kind: Kind(rawValue: row["event"]) ?? .optOut, at: row["at"], recordedAt: row["recorded_at"],
            method: Method(rawValue: row["method"]) ?? .export, ref: row["ref"])
        id = row["id"]
        keyword = row["keyword"]
        wording = row["wording"]
        wordingVersion = row["wording_version"]
        campaign = row["campaign"]
        evidence = row["evidence"]
    }

    /// Appends unless the same evidence is already there; true when it was new.
    @discardableResult
    func append(_ db: Database) throws -> Bool {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO consent_events (address, contact_id, channel, event, at, recorded_at, method, source,
                  ref, keyword, wording, wording_version, campaign, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                address, contactID, channel, kind.rawValue, at, recordedAt, method.rawValue, source, ref, keyword, wording,
                wordingVersion, campaign, evidence,
            ])
        guard db.changesCount > 0 else { return false }
        try ContactConsent.refresh(db, addresses: [address])
        return true
    }
}
