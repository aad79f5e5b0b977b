/// A whole job store: every concern's protocol. SQLite conforms today; commands that
/// open a store get one of these and never see the engine.
public typealias JobStoring = PipelineStore & VerifyStore & VerifyBatchStore & DeliveryEvidenceStore & ConsentLedgerStore
    & WaveStore
    & TemplateStore & CampaignStore & WebhookStore & RolloutStore
