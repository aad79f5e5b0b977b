import WamigrateModel

// The SQLite store conforms to every store protocol of the model.
extension JobStore: WaveStore, TemplateStore, ConsentLedgerStore, CampaignStore, WebhookStore, DeliveryEvidenceStore {}
