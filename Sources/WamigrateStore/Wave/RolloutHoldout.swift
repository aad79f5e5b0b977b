import Foundation
import GRDB
import WamigrateBase

/// The holdout on the legacy channel: the people a rollout kept from its WhatsApp wave, and
/// what their SMS/Viber messages (re-consent campaigns) gave.
extension JobStore {
    /// Per holdout person with a campaign message sent: whether the latest was delivered or
    /// failed, and whether they replied or opted out on SMS/Viber after it. `:wave` is its
    /// parameter.
    static let holdoutLegacySQL = """
        WITH held AS (
          SELECT contact_id, e164 FROM wave_messages
          WHERE wave = :wave AND state = \(MessageState.excluded.quoted) AND reason = \(MessageReason.holdout.quoted)
        ),
        messaged AS (
          SELECT held.contact_id, held.e164, max(COALESCE(m.sent_at, m.sending_at)) AS at,
            max(m.delivery IN ('delivered', 'seen')) AS delivered,
            max(m.state = \(MessageState.failed.quoted) OR m.delivery IN ('failed', 'undelivered')) AS failed
          FROM held CROSS JOIN campaign_messages m INDEXED BY campaign_messages_contact ON m.contact_id = held.contact_id
          WHERE m.state IN (\(MessageState.sent.quoted), \(MessageState.failed.quoted))
          GROUP BY held.contact_id
        )
        SELECT count(*) AS measured, COALESCE(sum(delivered), 0) AS delivered, COALESCE(sum(failed), 0) AS failed,
          COALESCE(sum(EXISTS (
            SELECT 1 FROM inbound_messages i WHERE i.channel IN (\(Channel.sms.quoted), \(Channel.viber.quoted))
              AND i.contact_id = messaged.contact_id AND i.received_at >= messaged.at)), 0) AS replied,
          COALESCE(sum(EXISTS (
            SELECT 1 FROM consent_events e WHERE e.address = messaged.e164 AND e.event = 'opt_out'
              AND e.channel IN (\(Channel.sms.quoted), \(Channel.viber.quoted)) AND COALESCE(e.at, e.recorded_at) >= messaged.at)),
            0) AS optout
        FROM messaged
        """

    public func holdoutOnLegacy(_ wave: String) throws -> SignalCounts {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: Self.holdoutLegacySQL, arguments: ["wave": wave]) else {
                return SignalCounts()
            }
            var signals = SignalCounts(measured: row["measured"] ?? 0)
            for signal in [RolloutSignal.delivered, .failed, .replied, .optout] {
                signals.counts[signal] = row[signal.rawValue] ?? 0
            }
            return signals
        }
    }
}
