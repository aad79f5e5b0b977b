import Foundation
import WamigrateBase
import WamigrateModel

/// A campaign plan's writes on PostgreSQL, inside one transaction (`replaceCampaignPlan`).
/// Messages are kept in the order they come and copied in (`COPY`) ten thousand at a time,
/// between the audience's fetches: a plan of a million messages is a hundred copies, and
/// their ids follow the plan's order as the SQLite store's do.
final class PostgresCampaignPlanTables: CampaignPlanTables {
    private let connection: PostgresConnection
    private let campaign: String
    private var pending: [[(any PostgresBindable)?]] = []
    private static let copySize = 10_000

    init(_ connection: PostgresConnection, campaign: String) {
        self.connection = connection
        self.campaign = campaign
    }

    /// Stores one language's text for a channel; returns its id.
    func addText(
        channel: Channel, language: String, version: String?, file: String, text: String, link: String?,
        button: String?,
        business: String?, segments: Int
    ) throws -> Int64 {
        try connection.execute(
            """
            INSERT INTO campaign_texts (campaign, channel, language, version, file, text, link, button, business,
              segments) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
            """, [campaign, channel, language, version, file, text, link, button, business, segments]
        ).int64(0, 0) ?? 0
    }

    /// Every contact on the `reconsent` list, in contact order, with its tally under the plan's
    /// policy (the tables `buildTallyTables` made).
    func forEachAudienceMember(_ visit: (AudienceMember) throws -> Void) throws {
        try connection.forEachBatch(
            """
            SELECT c.id AS contact_id, c.e164, c.viber_id, c.region, c.language, l.channel, l.reason AS list_reason,
              \(PostgresJobStore.tallySelect)
            FROM import_lists l JOIN contacts c ON c.id = l.contact_id
            \(PostgresJobStore.tallyJoins)
            WHERE l.list = $1 ORDER BY c.seq
            """, [ImportList.reconsent]
        ) { rows in
            let (contactID, e164, viberID, region) = (
                rows.column("contact_id"), rows.column("e164"), rows.column("viber_id"), rows.column("region")
            )
            let (language, channel, listReason) = (
                rows.column("language"), rows.column("channel"), rows.column("list_reason")
            )
            let tallies = ConsentTally.contactPositions(rows)
            for index in 0..<rows.count {
                let tally = ConsentTally(contactRow: rows, index, at: tallies)
                try visit(
                    AudienceMember(
                        contactID: rows.string(index, contactID) ?? "", e164: rows.string(index, e164),
                        viberID: rows.string(index, viberID), region: rows.string(index, region),
                        language: rows.string(index, language),
                        channel: Channel(rawValue: rows.string(index, channel) ?? "") ?? .sms,
                        listReason: rows.string(index, listReason).flatMap(ListReason.init(rawValue:)), tally: tally))
            }
        }
    }

    /// One message of the plan: `planned` with its slot and cost, or `excluded` with the reason.
    func addMessage(
        contactID: String, channel: Channel, address: String?, region: String?, zones: String, textID: Int64?,
        sendAt: Int64?, cost: Double?, reason: MessageReason?, idempotencyKey: String
    ) throws {
        pending.append([
            campaign, contactID, channel, address, region, zones, textID, sendAt, cost,
            (reason == nil ? MessageState.planned : MessageState.excluded).rawValue, reason?.rawValue, idempotencyKey,
        ])
        if pending.count >= Self.copySize { try flush() }
    }

    /// The settings `send` keeps to, stored last.
    func saveSettings(json: String) throws {
        try flush()
        try connection.execute(
            "INSERT INTO campaigns (name, created_at, settings_json, planned_at) VALUES ($1, $2, $3, $4)",
            [campaign, Clock.isoNow(), json, Clock.isoNow()])
    }

    /// Copies the messages kept since the last copy (the connection is free: between fetches).
    func flush() throws {
        guard !pending.isEmpty else { return }
        let copy = try connection.startCopy(
            into: "campaign_messages",
            columns: [
                "campaign", "contact_id", "channel", "address", "region", "zones", "text_id", "send_at", "cost",
                "state",
                "reason", "idempotency_key",
            ])
        for message in pending { for value in message { try copy.add(value) } }
        try copy.finish()
        pending.removeAll(keepingCapacity: true)
    }
}

extension PostgresJobStore {
    /// Replaces a campaign's plan in one transaction, refusing a campaign that has started
    /// sending; with `dryRun` the same work runs in a savepoint rolled back, so nothing stays.
    public func replaceCampaignPlan(
        _ campaign: String, policy: ConsentPolicy, dryRun: Bool, _ body: (any CampaignPlanTables) throws -> Void
    ) throws {
        try write {
            if dryRun { try connection.run("SAVEPOINT campaign_rehearsal") }
            // Senders wait for the new plan: none marks a message of the old one `sending` after
            // the check below (their `markSending` then finds the message gone).
            try connection.run("LOCK TABLE campaign_messages IN SHARE ROW EXCLUSIVE MODE")
            try refuseIfCampaignStarted(campaign)
            try connection.execute("DELETE FROM campaign_messages WHERE campaign = $1", [campaign])
            try connection.execute("DELETE FROM campaign_texts WHERE campaign = $1", [campaign])
            try connection.execute("DELETE FROM campaigns WHERE name = $1", [campaign])
            try buildTallyTables(policy: policy)
            let tables = PostgresCampaignPlanTables(connection, campaign: campaign)
            try body(tables)
            try tables.flush()
            if dryRun { try connection.run("ROLLBACK TO SAVEPOINT campaign_rehearsal; RELEASE campaign_rehearsal") }
        }
    }

    private func refuseIfCampaignStarted(_ campaign: String) throws {
        let started =
            try connection.execute(
                "SELECT count(*) FROM campaign_messages WHERE campaign = $1 AND state NOT IN ($2, $3)",
                [campaign, MessageState.planned.rawValue, MessageState.excluded.rawValue]
            ).scalarInt ?? 0
        if started > 0 {
            throw WamigrateError(
                .usage, "campaign \(campaign) has already sent \(started) messages; its plan cannot change",
                hint: "plan under a new --name; people who got this campaign's message can be left out by policy")
        }
    }

    /// True when the lists in the store come from a dry run's import.
    public func listsFromDryRun() throws -> Bool {
        try read {
            try connection.execute(
                """
                SELECT r.dry_run FROM stage_runs s JOIN runs r ON r.id = s.run_id WHERE s.stage = $1
                ORDER BY s.id DESC LIMIT 1
                """, [Stage.import]
            ).scalarInt.map { $0 != 0 } ?? false
        }
    }
}
