import Foundation
import GRDB
import WamigrateBase

/// A campaign plan's writes, inside one transaction (`JobStore.replaceCampaignPlan`).
struct SQLiteCampaignPlanTables: CampaignPlanTables {
    private let db: Database
    private let campaign: String
    private let insert: Statement

    init(_ db: Database, campaign: String) throws {
        self.db = db
        self.campaign = campaign
        insert = try db.makeStatement(
            sql: """
                INSERT INTO campaign_messages (campaign, contact_id, channel, address, region, zones, text_id, send_at,
                  cost, state, reason, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Stores one language's text for a channel; returns its id.
    public func addText(
        channel: Channel, language: String, version: String?, file: String, text: String, link: String?, button: String?,
        business: String?, segments: Int
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO campaign_texts (campaign, channel, language, version, file, text, link, button, business,
                  segments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [campaign, channel, language, version, file, text, link, button, business, segments])
        return db.lastInsertedRowID
    }

    /// Every contact on the `reconsent` list, in contact order, with its tally under the plan's policy.
    public func forEachAudienceMember(_ visit: (AudienceMember) throws -> Void) throws {
        let (audience, at) = try db.positionedCursor(
            sql: """
                SELECT c.id AS contact_id, c.e164, c.viber_id, c.region, c.language, l.channel, l.reason AS list_reason,
                  \(JobStore.tallySelect)
                FROM import_lists l JOIN contacts c ON c.id = l.contact_id
                \(JobStore.tallyJoins)
                WHERE l.list = ? ORDER BY c.seq
                """, arguments: [ImportList.reconsent])
        let tallies = ContactTallyColumns(at)
        let (contactID, e164, viberID, region) = (at("contact_id"), at("e164"), at("viber_id"), at("region"))
        let (language, channel, listReason) = (at("language"), at("channel"), at("list_reason"))
        while let row = try audience.next() {
            try visit(
                AudienceMember(
                    contactID: row[contactID], e164: row[e164], viberID: row[viberID], region: row[region],
                    language: row[language], channel: row[channel],
                    listReason: (row[listReason] as String?).flatMap(ListReason.init(rawValue:)),
                    tally: tallies.tally(row)))
        }
    }

    /// One message of the plan: `planned` with its slot and cost, or `excluded` with the reason.
    public func addMessage(
        contactID: String, channel: Channel, address: String?, region: String?, zones: String, textID: Int64?,
        sendAt: Int64?, cost: Double?, reason: MessageReason?, idempotencyKey: String
    ) throws {
        try insert.execute(arguments: [
            campaign, contactID, channel, address, region, zones, textID, sendAt, cost,
            reason == nil ? MessageState.planned : MessageState.excluded, reason, idempotencyKey,
        ])
    }

    /// The settings `send` keeps to, stored last.
    public func saveSettings(json: String) throws {
        try db.execute(
            sql: "INSERT INTO campaigns (name, created_at, settings_json, planned_at) VALUES (?, ?, ?, ?)",
            arguments: [campaign, Clock.isoNow(), json, Clock.isoNow()])
    }
}

extension JobStore {
    /// Replaces a campaign's plan in one transaction, refusing a campaign that has
    /// started sending; with `dryRun` the same work runs in a savepoint that is
    /// rolled back, so nothing stays.
    public func replaceCampaignPlan(
        _ campaign: String, policy: ConsentPolicy, dryRun: Bool, _ body: (any CampaignPlanTables) throws -> Void
    ) throws {
        func work(_ db: Database) throws {
            try Self.refuseIfStarted(db, campaign: campaign)
            try db.execute(sql: "DELETE FROM campaign_messages WHERE campaign = ?", arguments: [campaign])
            try db.execute(sql: "DELETE FROM campaign_texts WHERE campaign = ?", arguments: [campaign])
            try db.execute(sql: "DELETE FROM campaigns WHERE name = ?", arguments: [campaign])
            try JobStore.buildTallyTables(db, policy: policy)
            defer { try? JobStore.dropTallyTables(db) }
            try body(SQLiteCampaignPlanTables(db, campaign: campaign))
        }
        try write(rehearsing: dryRun, work)
    }

    static func refuseIfStarted(_ db: Database, campaign: String) throws {
        let started =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM campaign_messages WHERE campaign = ? AND state NOT IN (?, ?)",
                arguments: [campaign, MessageState.planned, MessageState.excluded]) ?? 0
        if started > 0 {
            throw WamigrateError(
                .usage, "campaign \(campaign) has already sent \(started) messages; its plan cannot change",
                hint: "plan under a new --name; people who got this campaign's message can be left out by policy")
        }
    }

    /// True when the lists in the store come from a dry run's import.
    public func listsFromDryRun() throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT r.dry_run FROM stage_runs s JOIN runs r ON r.id = s.run_id WHERE s.stage = ?
                    ORDER BY s.id DESC LIMIT 1
                    """, arguments: [Stage.import]) ?? false
        }
    }
}
