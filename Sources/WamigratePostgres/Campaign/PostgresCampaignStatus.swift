import Foundation
import WamigrateBase
import WamigrateModel

extension PostgresJobStore {
    /// A campaign's counts by channel, language, state, delivery and latest reply (help
    /// requests aside), its exclusions and failures by reason, and its next slot.
    public func campaignStatus(_ campaign: String) throws -> CampaignStatus {
        _ = try campaignSettingsJSON(campaign)
        var status = CampaignStatus()
        status.campaign = campaign
        try read {
            let rows = try connection.execute(
                """
                WITH last_reply AS (
                  SELECT message_id, class,
                    ROW_NUMBER() OVER (PARTITION BY message_id ORDER BY received_at DESC, id DESC) AS n
                  FROM inbound_messages WHERE message_id IS NOT NULL AND class != 'help'
                )
                SELECT m.channel, COALESCE(t.language, '-') AS language, m.state,
                       CASE WHEN m.delivery IN ($1, $2) THEN 1 ELSE 0 END AS delivered, r.class AS reply, m.reason,
                       count(*) AS count
                FROM campaign_messages m
                LEFT JOIN campaign_texts t ON t.id = m.text_id
                LEFT JOIN last_reply r ON r.message_id = m.id AND r.n = 1
                WHERE m.campaign = $3 GROUP BY 1, 2, 3, 4, 5, 6
                """, [ReceiptStatus.delivered.rawValue, ReceiptStatus.seen.rawValue, campaign])
            let (channelAt, languageAt, stateAt) = (
                rows.column("channel"), rows.column("language"), rows.column("state")
            )
            let (deliveredAt, replyAt, reasonAt, countAt) = (
                rows.column("delivered"), rows.column("reply"), rows.column("reason"), rows.column("count")
            )
            for index in 0..<rows.count {
                let channel = rows.string(index, channelAt) ?? ""
                let language = rows.string(index, languageAt) ?? "-"
                let state = MessageState(rawValue: rows.string(index, stateAt) ?? "") ?? .planned
                let delivered = rows.int(index, deliveredAt) == 1
                let reply = rows.string(index, replyAt)
                let reason = rows.string(index, reasonAt)
                let count = rows.int(index, countAt) ?? 0
                status.add(
                    count: count, channel: channel, language: language, state: state, delivered: delivered, reply: reply,
                    reason: reason)
            }
            let next = try connection.execute(
                "SELECT min(send_at) FROM campaign_messages WHERE campaign = $1 AND state = $2",
                [campaign, MessageState.planned.rawValue])
            status.nextSlot = next.int64(0, 0).map { ISOTime.string($0) }
        }
        return status
    }
}
