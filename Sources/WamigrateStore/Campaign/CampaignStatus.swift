import Foundation
import GRDB
import WamigrateBase

extension JobStore {
    public func campaignStatus(_ campaign: String) throws -> CampaignStatus {
        _ = try campaignSettingsJSON(campaign)
        var status = CampaignStatus()
        status.campaign = campaign
        try read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    WITH last_reply AS (
                      SELECT message_id, class, ROW_NUMBER() OVER (PARTITION BY message_id ORDER BY received_at DESC, id DESC) AS n
                      FROM inbound_messages WHERE message_id IS NOT NULL AND class != 'help'
                    )
                    SELECT m.channel, COALESCE(t.language, '-') AS language, m.state,
                           m.delivery IN (?, ?) AS delivered, r.class AS reply, m.reason, count(*) AS count
                    FROM campaign_messages m
                    LEFT JOIN campaign_texts t ON t.id = m.text_id
                    LEFT JOIN last_reply r ON r.message_id = m.id AND r.n = 1
                    WHERE m.campaign = ? GROUP BY 1, 2, 3, 4, 5, 6
                    """, arguments: [ReceiptStatus.delivered, ReceiptStatus.seen, campaign])
            while let row = try rows.next() {
                let channel: String = row["channel"]
                let language: String = row["language"]
                let state: MessageState = row["state"]
                let delivered = (row["delivered"] as Bool?) ?? false
                let reply: String? = row["reply"]
                let reason: String? = row["reason"]
                let count: Int = row["count"]
                status.add(
                    count: count, channel: channel, language: language, state: state, delivered: delivered, reply: reply,
                    reason: reason)
            }
            let next = try Int64.fetchOne(
                db, sql: "SELECT min(send_at) FROM campaign_messages WHERE campaign = ? AND state = ?",
                arguments: [campaign, MessageState.planned])
            status.nextSlot = next.map { ISOTime.string($0) }
        }
        return status
    }
}
