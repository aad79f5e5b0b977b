import Foundation

/// Webhook bodies as received (the inbox), the statuses they carry, and the identities
/// and limits they announce.
public protocol WebhookStore: AnyObject {
    /// Keeps a body once (the same bytes again are a redelivery); its inbox id, nil when already there.
    func appendWebhook(_ body: Data, origin: String, signature: String, at time: Int64) throws -> Int64?
    func unprocessedWebhooks(limit: Int) throws -> [InboxBody]
    func markWebhooksProcessed(_ ids: [Int64], at time: Int64) throws
    /// Moves what the receiver spooled into the inbox; how many bodies.
    @discardableResult
    func drainSpool() throws -> Int
    /// Keeps each status once; the recipients whose statuses changed.
    func recordStatuses(_ items: [(inboxID: Int64, status: StatusRecord)]) throws -> Set<String>
    func statuses(recipients: Set<String>) throws -> [StatusRecord]
    func recordIdentities(_ identities: [UserIdentity], changes: [IdentityChange]) throws
    func recordPlatformLimits(_ limits: [PlatformLimit]) throws
    /// A cheap watch on what the receiver spooled, for long-running commands.
    func spoolWatch() -> any SpoolWatching
    /// Runs one pass of taking bodies into the job alone: where several processes write the job
    /// at once (PostgreSQL), they take turns, so each body is processed once.
    func processingWebhooksAlone<T>(_ body: () throws -> T) throws -> T
}

/// Where the receiver puts a body the moment it is verified, before anything parses it;
/// the job store takes spooled bodies in (`drainSpool`).
public protocol WebhookSpooling: AnyObject, Sendable {
    /// Keeps the body; false when the same bytes are already spooled.
    func append(_ body: Data, at time: Int64) throws -> Bool
    func count() throws -> Int
}

/// Tells a long-running command cheaply whether the receiver spooled anything since it
/// last looked, so an opt-out is taken in within moments.
public protocol SpoolWatching: AnyObject {
    /// The spool's highest id now (0 when there is no spool yet).
    func highWater() throws -> Int64
    /// True when bodies arrived since `markSeen`.
    func hasNew() throws -> Bool
    /// Everything up to `mark` is taken in.
    func markSeen(_ mark: Int64)
}

/// What taking in webhooks touches: the inbox, registrations, the ledger and template records.
public typealias WebhookIngestStore = WebhookStore & DeliveryEvidenceStore & ConsentLedgerStore & TemplateStore
