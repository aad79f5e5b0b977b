import WamigrateModel

/// A send log the send loop (`SendLoop`) works through: campaign messages, wave messages. The
/// loop orders the steps; the ledger keeps its summary and decides what its gates mean.
protocol SendLedger: AnyObject {
    associatedtype Item
    /// Said when retries ran out: nothing was lost, and what to lower.
    var retryHint: String { get }
    /// Settles what a crashed run left open (`sending`, `in_doubt`), before anything is sent.
    func settleOpen() throws
    /// The run's limits, once settled.
    func begin() throws
    /// The next due messages after those handed out; empty when there are no more.
    func nextBatch() throws -> [Item]
    /// The checks that cost no request: the channel to send on, wait (counted), or stop this run.
    func admit(_ item: Item, sentSoFar: Int) throws -> Admission<Item>
    /// Right before each request: the message as it may go now, marked `sending` (a retry: when it
    /// goes out); nil when it was suppressed (the person opted out since the plan) or taken.
    func claim(_ item: Item, retry: Bool) throws -> Item?
    func markSent(_ item: Item, providerID: String) throws
    func markRefused(_ item: Item, code: String, reason: MessageReason, optOut: ConsentEvent?) throws
    /// Not processed: planned again, for the next run.
    func markPlanned(_ item: Item, reason: MessageReason?) throws
    /// No answer settles the request: looked up, or held in doubt; never sent again blindly.
    func answerLost(_ item: Item) throws
    func end(retries: Int) throws
}

/// What a ledger's gates say about one due message: send it, not now (counted), or no more this run.
enum Admission<Item> {
    case send(via: any SendChannel<Item>)
    case wait
    case stop
}
