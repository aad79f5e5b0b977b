import WamigrateModel

// Waves and webhooks on PostgreSQL: the wave send log with several senders
// (`PostgresWaveMessages`), the inbox receivers append to (`PostgresWebhookInbox`), statuses,
// identities and the limits the platform announces.
extension PostgresJobStore: WaveStore, WebhookStore {}
