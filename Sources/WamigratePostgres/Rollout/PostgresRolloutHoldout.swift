import Foundation
import WamigrateBase
import WamigrateModel

/// The holdout on the legacy channel: the people a rollout kept from its WhatsApp wave, and
/// what their SMS/Viber messages (re-consent campaigns) gave, as the SQLite store counts it.
extension PostgresJobStore {
    /// Per holdout person with a campaign message sent: whether the latest was delivered or
    /// failed, and whether they replied or opted out on SMS/Viber after it. `$1` is the wave.
    static let holdoutLegacySQL = """
        WITH held AS (
          SELECT contact_id, e164 FROM wave_messages
          WHERE wave = $1 AND state = \(MessageState.excluded.quoted) AND reason = \(MessageReason.holdout.quoted)
        ),
        messaged AS (
          SELECT held.contact_id, held.e164, max(COALESCE(m.sent_at, m.sending_at)) AS at,
            max(CASE WHEN m.delivery IN ('delivered', 'seen') THEN 1 ELSE 0 END) AS delivered,
            max(CASE WHEN m.state = \(MessageState.failed.quoted) OR m.delivery IN ('failed', 'undelivered')
              THEN 1 ELSE 0 END) AS failed
          FROM held JOIN campaign_messages m ON m.contact_id = held.contact_id
          WHERE m.state IN (\(MessageState.sent.quoted), \(MessageState.failed.quoted))
          GROUP BY held.contact_id, held.e164
        )
        SELECT count(*) AS measured, COALESCE(sum(delivered), 0) AS delivered, COALESCE(sum(failed), 0) AS failed,
          COALESCE(sum(CASE WHEN EXISTS (
            SELECT 1 FROM inbound_messages i WHERE i.channel IN (\(Channel.sms.quoted), \(Channel.viber.quoted))
              AND i.contact_id = messaged.contact_id AND i.received_at >= messaged.at)
            THEN 1 ELSE 0 END), 0) AS replied,
          COALESCE(sum(CASE WHEN EXISTS (
            SELECT 1 FROM consent_events e WHERE e.address = messaged.e164 AND e.event = 'opt_out'
              AND e.channel IN (\(Channel.sms.quoted), \(Channel.viber.quoted))
              AND COALESCE(e.at, e.recorded_at) >= messaged.at)
            THEN 1 ELSE 0 END), 0) AS optout
        FROM messaged
        """

    /// The holdout's people messaged on SMS/Viber: of them, delivered, failed, replied and
    /// opted out on the legacy channel after their latest message.
    public func holdoutOnLegacy(_ wave: String) throws -> SignalCounts {
        try read {
            let rows = try connection.execute(Self.holdoutLegacySQL, [wave])
            guard rows.count > 0 else { return SignalCounts() }
            var signals = SignalCounts(measured: rows.int(0, rows.column("measured")) ?? 0)
            for signal in [RolloutSignal.delivered, .failed, .replied, .optout] {
                signals.counts[signal] = rows.int(0, rows.column(signal.rawValue)) ?? 0
            }
            return signals
        }
    }
}
