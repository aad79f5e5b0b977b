import Foundation
import WamigrateBase
import WamigrateModel

/// The consent ledger on PostgreSQL: appends events, sums them up per person and lists a
/// person's history, as the SQLite store's `ConsentLedger`. Nothing here updates or deletes an
/// event; an event already there (same method, reference and kind) is left alone, so writers
/// running at once append it once.
extension PostgresJobStore: ConsentLedgerStore {
    /// Appends events that are not already there; returns how many were new.
    @discardableResult
    public func appendConsent(_ events: [ConsentEvent]) throws -> Int {
        try write { try events.reduce(0) { $0 + (try appendConsentEvent($1) ? 1 : 0) } }
    }

    /// One person's tally over all of their addresses.
    public func consentTally(addresses: [String], policy: ConsentPolicy) throws -> ConsentTally {
        try autocommit { try linkedTally(addresses: addresses, policy: policy) }
    }

    /// Every event for these addresses, oldest first (undated ones first, as the sources gave them).
    public func consentHistory(addresses given: [String]) throws -> [ConsentEvent] {
        guard !given.isEmpty else { return [] }
        return try read {
            let rows = try connection.execute(
                "SELECT * FROM consent_events WHERE address = ANY($1) ORDER BY at IS NOT NULL, at, id",
                [PostgresArray(try linkedAddresses(given))])
            return try (0..<rows.count).map { try Self.consentEvent(rows, $0) }
        }
    }

    public func recordReplies<T>(_ body: (any ReplyLedger) throws -> T) throws -> T {
        try write { try body(PostgresReplyLedger(self)) }
    }

    // MARK: - Inside a transaction

    /// Appends one event unless the same evidence is there, then re-derives the consent of the
    /// contacts it concerns; true when it was new. Inside the caller's transaction.
    @discardableResult
    func appendConsentEvent(_ event: ConsentEvent) throws -> Bool {
        let added = try connection.execute(
            """
            INSERT INTO consent_events (address, contact_id, channel, event, at, recorded_at, method, source, ref, keyword,
              wording, wording_version, campaign, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT DO NOTHING
            """,
            [
                event.address, event.contactID, event.channel, event.kind, event.at, event.recordedAt, event.method,
                event.source, event.ref, event.keyword, event.wording, event.wordingVersion, event.campaign, event.evidence,
            ]
        ).changes
        guard added > 0 else { return false }
        try refreshContactConsent(addresses: [event.address])
        return true
    }

    /// One person's tally; a number's linked BSUIDs count as the person's addresses. Inside the
    /// caller's transaction.
    func linkedTally(addresses given: [String], policy: ConsentPolicy) throws -> ConsentTally {
        guard !given.isEmpty else { return ConsentTally() }
        let rows = try connection.execute(
            "SELECT \(ConsentTally.columns(policy: policy)) FROM consent_events WHERE address = ANY($1)",
            [PostgresArray(try linkedAddresses(given))])
        return rows.count == 0 ? ConsentTally() : ConsentTally(rows, 0, at: ConsentTally.positions(rows, prefix: ""))
    }

    /// A `consent_events` row read by column name.
    private static func consentEvent(_ rows: PostgresRows, _ index: Int) throws -> ConsentEvent {
        func text(_ name: String) -> String? { rows.string(index, rows.column(name)) }
        func int64(_ name: String) -> Int64? { rows.int64(index, rows.column(name)) }
        guard let channel = text("channel").flatMap(Channel.init(rawValue:)) else {
            throw WamigrateError(
                .store, "consent event \(int64("id") ?? 0) names a channel this wamigrate does not know",
                hint: "read this job with the wamigrate that recorded it")
        }
        var event = ConsentEvent(
            address: text("address") ?? "", contactID: text("contact_id"), channel: channel,
            kind: text("event").flatMap(ConsentEvent.Kind.init(rawValue:)) ?? .optOut, at: int64("at"),
            recordedAt: int64("recorded_at") ?? 0,
            method: text("method").flatMap(ConsentEvent.Method.init(rawValue:)) ?? .export, ref: text("ref") ?? "")
        event.id = int64("id")
        event.keyword = text("keyword")
        event.wording = text("wording")
        event.wordingVersion = text("wording_version")
        event.campaign = text("campaign")
        event.evidence = text("evidence")
        return event
    }
}
